package io.spotnest.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs host commands with a timeout and turns failures into {@link TestbedException}s that name the
 * command.
 */
public final class Shell {

  /** The result of a finished command. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  private final Duration timeout;

  public Shell(Duration timeout) {
    this.timeout = timeout;
  }

  public Shell() {
    this(Duration.ofSeconds(60));
  }

  /** Runs the command and fails unless it exits 0. */
  public Result run(String... command) {
    Result r = exec(List.of(command));
    if (!r.ok()) {
      throw new TestbedException(
          "command failed (exit "
              + r.exitCode()
              + "): "
              + String.join(" ", command)
              + (r.stderr().isBlank() ? "" : "\n" + r.stderr().strip()));
    }
    return r;
  }

  /** Runs the command and returns its result whatever the exit code. */
  public Result exec(List<String> command) {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new TestbedException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new TestbedException(
            "command timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command));
      }
      return new Result(List.copyOf(command), p.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new TestbedException("interrupted while running " + String.join(" ", command), e);
    }
  }

  /** Convenience: the command prefixed with {@code ip netns exec <namespace>}. */
  public Result runIn(String namespace, String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(List.of(command));
    return run(full.toArray(String[]::new));
  }

  private static CompletableFuture<String> drain(java.io.InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        });
  }
}
