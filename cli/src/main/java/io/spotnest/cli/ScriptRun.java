package io.spotnest.cli;

import io.spotnest.testbed.DaemonThreads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one of the image scripts with the image directory in its environment, each stdout/stderr
 * line to a consumer, and stops it on timeout, interruption or JVM shutdown (Ctrl-C): the script's
 * own trap then stops what it started.
 */
final class ScriptRun {

  /** Talks to the running script through its stdin; without one, stdin is /dev/null. */
  @FunctionalInterface
  interface Stdin {
    void feed(Process script) throws IOException, InterruptedException;
  }

  private ScriptRun() {}

  /** Exit code of the script; 124 when it ran past the timeout, 130 when interrupted. */
  static int run(
      List<String> cmd,
      Path dir,
      long timeoutMin,
      Consumer<String> stdout,
      Consumer<String> stderr,
      Stdin stdin)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("SPOTNEST_AGENT_IMAGE_OUT", dir.toString());
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    }
    Process p = pb.start();
    Thread stop = new Thread(() -> stop(p), "stop-" + Path.of(cmd.get(0)).getFileName());
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      Thread err = pump(p.getErrorStream(), stderr);
      Thread outPump = pump(p.getInputStream(), stdout);
      if (stdin != null) {
        try {
          stdin.feed(p);
        } catch (IOException | RuntimeException e) {
          stop(p);
          throw e;
        }
      }
      if (!p.waitFor(timeoutMin, TimeUnit.MINUTES)) {
        System.err.println(
            "error: "
                + Path.of(cmd.get(0)).getFileName()
                + " ran past "
                + timeoutMin
                + " min; stopped");
        stop(p);
        return 124;
      }
      err.join();
      outPump.join();
      return p.exitValue();
    } catch (InterruptedException e) {
      stop(p);
      Thread.currentThread().interrupt();
      return 130;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
  }

  private static void stop(Process p) {
    if (!p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Thread pump(InputStream in, Consumer<String> sink) {
    PrintStream lock = System.err;
    return DaemonThreads.start(
        "spotnest-script-output",
        () -> {
          try (BufferedReader r =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
              synchronized (lock) {
                sink.accept(line);
              }
            }
          } catch (IOException e) {
            // the process ended
          }
        });
  }
}
