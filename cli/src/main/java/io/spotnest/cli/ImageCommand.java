package io.spotnest.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spotnest image build [--out DIR]}: builds the agent VM image with {@code
 * nested-agent-image/build-agent-image.sh} (cached when its inputs are unchanged), then boots it
 * once under QEMU with {@code nested-agent-image/agent-image/boot-check.sh} until its agent is
 * connected to a test controller, and ends with {@code image: path=<file> size_mib=<n>
 * boot_to_agent_s=<n>}. Progress goes to stderr.
 */
@Command(
    name = "image",
    description = "The agent VM image.",
    subcommands = {ImageCommand.Build.class})
final class ImageCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The {@code build} subcommand. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = {
        "Build the agent image (cached when its inputs are unchanged), boot it once under QEMU until its",
        "agent is connected to a test controller, and print its size and the boot time."
      })
  static final class Build implements Callable<Integer> {
    private static final Pattern BOOT =
        Pattern.compile("^boot-check: boot_to_agent_s=([0-9.]+)\\b.*");
    private static final long BUILD_TIMEOUT_MIN = 30;
    private static final long BOOT_TIMEOUT_MIN = 15;
    private static final long MIB = 1L << 20;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        converter = OptionValues.WorkDirectory.class,
        description = "Output directory of the image (default: nested-agent-image/out/agent).")
    Path out;

    @Override
    public Integer call() {
      Path root = Path.of(System.getProperty("spotnest.root", ".")).toAbsolutePath().normalize();
      Path images = root.resolve("nested-agent-image");
      Path dir = (out != null ? out : images.resolve("out/agent")).toAbsolutePath().normalize();
      try {
        System.err.println("image: building " + dir + " (cached when its inputs are unchanged)");
        int rc =
            run(
                List.of(images.resolve("build-agent-image.sh").toString()),
                dir,
                BUILD_TIMEOUT_MIN,
                System.err::println,
                System.err::println);
        if (rc != 0) {
          System.err.println("error: the image build failed (exit " + rc + ")");
          return 1;
        }
        List<String> result = new ArrayList<>();
        rc =
            run(
                List.of(images.resolve("agent-image/boot-check.sh").toString(), dir.toString()),
                dir,
                BOOT_TIMEOUT_MIN,
                result::add,
                System.err::println);
        result.forEach(System.err::println);
        String boot =
            result.stream()
                .map(BOOT::matcher)
                .filter(Matcher::matches)
                .map(m -> m.group(1))
                .reduce((a, b) -> b)
                .orElse(null);
        if (rc != 0 || boot == null) {
          System.err.println("error: the boot check failed (exit " + rc + ")");
          return 1;
        }
        Path image = dir.resolve("agent-root.qcow2");
        long sizeMib = (Files.size(image) + MIB - 1) / MIB;
        System.out.println(
            "image: path=" + image + " size_mib=" + sizeMib + " boot_to_agent_s=" + boot);
        return 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Runs a script with the image directory in its environment; each stdout/stderr line to a
     * consumer.
     */
    private static int run(
        List<String> cmd,
        Path dir,
        long timeoutMin,
        Consumer<String> stdout,
        Consumer<String> stderr)
        throws IOException {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put("SPOTNEST_AGENT_IMAGE_OUT", dir.toString());
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      Process p = pb.start();
      Thread err = pump(p.getErrorStream(), stderr);
      Thread outPump = pump(p.getInputStream(), stdout);
      try {
        if (!p.waitFor(timeoutMin, TimeUnit.MINUTES)) {
          System.err.println(
              "error: "
                  + Path.of(cmd.get(0)).getFileName()
                  + " ran past "
                  + timeoutMin
                  + " min; stopped");
          p.destroy();
          if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
          return 124;
        }
        err.join();
        outPump.join();
        return p.exitValue();
      } catch (InterruptedException e) {
        p.destroy();
        Thread.currentThread().interrupt();
        return 130;
      }
    }

    private static Thread pump(InputStream in, Consumer<String> sink) {
      PrintStream lock = System.err;
      Thread t =
          new Thread(
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
      t.setDaemon(true);
      t.start();
      return t;
    }
  }
}
