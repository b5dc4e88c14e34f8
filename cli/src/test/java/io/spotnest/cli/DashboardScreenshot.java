package io.spotnest.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PNG of a loopback page taken by Debian's headless {@code chromium} (installed by
 * src/sh/prereqs.sh): every host name resolves to nothing but 127.0.0.1 and background networking
 * is off, so the browser reaches no other address.
 */
final class DashboardScreenshot {
  private DashboardScreenshot() {}

  /** The browser, if installed. */
  static Optional<Path> chromium() {
    return Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser")
        .map(Path::of)
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * Loads {@code page} (it polls its JSON every 2 s) for {@code virtualMs} of virtual time and
   * writes what it shows to {@code png}.
   */
  static void take(Path browser, URI page, Path png, int virtualMs)
      throws IOException, InterruptedException {
    if (!"127.0.0.1".equals(page.getHost())) {
      throw new IllegalArgumentException("only loopback pages, not " + page.getHost());
    }
    Path profile = Files.createTempDirectory("spotnest-chromium-");
    try {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  browser.toString(),
                  "--headless",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--hide-scrollbars",
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
                  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                  "--window-size=1280,1700",
                  "--virtual-time-budget=" + virtualMs,
                  "--screenshot=" + png.toAbsolutePath(),
                  page.toString()));
      Path log = profile.resolve("chromium.log");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new IOException("chromium took more than 90 s");
      }
      if (p.exitValue() != 0 || !Files.isRegularFile(png)) {
        throw new IOException(
            "chromium exited " + p.exitValue() + " without a screenshot: " + Files.readString(log));
      }
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
