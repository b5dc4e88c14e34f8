package io.spotnest.dashboard;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium}, headless, for page tests: it loads a loopback page, lets the page run
 * for a budget of virtual time (so a 2 s poll fires without waiting 2 s of wall time) and dumps the
 * DOM or takes a screenshot. Every host name resolves to nothing but 127.0.0.1 and background
 * networking is off, so the browser reaches no other address.
 */
final class HeadlessChromium {
  private final Path binary;

  private HeadlessChromium(Path binary) {
    this.binary = binary;
  }

  /**
   * The browser; when it is missing the test fails under {@code CI=true} (CI installs it:
   * src/sh/prereqs.sh) and is skipped, loudly, elsewhere.
   */
  static HeadlessChromium require() {
    Optional<Path> found =
        Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst();
    if (found.isPresent()) {
      return new HeadlessChromium(found.get());
    }
    String message =
        "chromium is not installed (apt-get install -y chromium, as src/sh/prereqs.sh does): "
            + "the dashboard's browser test cannot run";
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(message);
    }
    System.err.println("\n*** SKIPPED: " + message + " ***\n");
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  /** The DOM of {@code page} after {@code virtualMs} of virtual time. */
  String dumpDom(URI page, int virtualMs) throws IOException, InterruptedException {
    return new String(
        run(page, List.of("--virtual-time-budget=" + virtualMs, "--dump-dom")),
        StandardCharsets.UTF_8);
  }

  /**
   * A PNG of {@code page} in a {@code width}×{@code height} window after {@code virtualMs} of
   * virtual time.
   */
  byte[] screenshot(URI page, int width, int height, int virtualMs)
      throws IOException, InterruptedException {
    Path png = Files.createTempFile("spotnest-page-", ".png");
    try {
      run(
          page,
          List.of(
              "--hide-scrollbars",
              "--window-size=" + width + "," + height,
              "--virtual-time-budget=" + virtualMs,
              "--screenshot=" + png.toAbsolutePath()));
      return Files.readAllBytes(png);
    } finally {
      Files.deleteIfExists(png);
    }
  }

  private byte[] run(URI page, List<String> action) throws IOException, InterruptedException {
    if (!page.getHost().equals("127.0.0.1")) {
      throw new IllegalArgumentException("tests open loopback pages only, not " + page.getHost());
    }
    Path profile = Files.createTempDirectory("spotnest-chromium-");
    try {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  binary.toString(),
                  "--headless",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--user-data-dir=" + profile,
                  "--no-first-run",
                  "--no-default-browser-check",
                  "--disable-background-networking",
                  "--disable-component-update",
                  "--disable-sync",
                  "--disable-domain-reliability",
                  "--disable-client-side-phishing-detection",
                  "--no-pings",
                  "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider",
                  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"));
      cmd.addAll(action);
      cmd.add(page.toString());
      Path out = profile.resolve("stdout.txt");
      Path err = profile.resolve("stderr.txt");
      Process p =
          new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new IOException("chromium did not finish in 120 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException("chromium exited " + p.exitValue() + ": " + Files.readString(err));
      }
      return Files.readAllBytes(out);
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
