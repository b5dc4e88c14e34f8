package io.spotnest.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Commands run directly on this machine by {@code /bin/busybox sh}, in a work directory. */
final class HostShell implements TimedShell {
  private static final long TIMEOUT_S = 600;
  private final Path dir;

  HostShell(Path dir) {
    this.dir = dir;
  }

  @Override
  public Duration time(String command) {
    try {
      long start = System.nanoTime();
      Process p =
          new ProcessBuilder("/bin/busybox", "sh", "-c", command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "host step did not finish in " + TIMEOUT_S + " s: " + command);
      }
      long end = System.nanoTime();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "host step failed (exit " + p.exitValue() + "): " + command + ": " + out);
      }
      return Duration.ofNanos(end - start);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run /bin/busybox (Debian package busybox-static)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {}
}
