package io.spotnest.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spotnest.testbed.jenkins.JenkinsHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium}, headless, driven over the DevTools protocol on a pipe (its fds 3 and
 * 4, never a TCP port): it takes a session cookie, opens loopback pages, reads their text and takes
 * screenshots. Every host name resolves to nothing but 127.0.0.1 and background networking is off,
 * so the browser reaches no other address. The cookie travels through the pipe only: never a file
 * or the command line.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path profile;
  private final OutputStream toBrowser;
  private final InputStream fromBrowser;
  private final String session;
  private int nextId = 1;

  private HeadlessChromium(Process process, Path profile) throws IOException {
    this.process = process;
    this.profile = profile;
    this.toBrowser = process.getOutputStream();
    this.fromBrowser = process.getInputStream();
    String target =
        call(null, "Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
    this.session =
        call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
            .path("sessionId")
            .asText();
    call(session, "Page.enable", Map.of());
  }

  /**
   * Starts the browser; when it is missing the test fails under {@code CI=true} and is skipped,
   * loudly, elsewhere.
   */
  static HeadlessChromium start() throws IOException {
    Optional<Path> binary =
        Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst();
    if (binary.isEmpty()) {
      String message =
          "chromium is not installed (apt-get install -y chromium, as src/sh/prereqs.sh does): "
              + "no screenshots of the real Jenkins were taken";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message);
      }
      System.err.println("\n*** SKIPPED: " + message + " ***\n");
      Assumptions.abort(message);
    }
    Path profile = Files.createTempDirectory("spotnest-chromium-");
    List<String> command =
        new ArrayList<>(
            List.of(
                // the shell only moves the pipes to the fds chromium reads its protocol from
                "/bin/sh",
                "-c",
                "exec \"$0\" \"$@\" 3<&0 4>&1 </dev/null >/dev/null",
                binary.get().toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
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
                "about:blank"));
    Process process =
        new ProcessBuilder(command)
            .redirectError(profile.resolveSibling(profile.getFileName() + ".log").toFile())
            .start();
    try {
      return new HeadlessChromium(process, profile);
    } catch (IOException | RuntimeException e) {
      stop(process, profile);
      throw e;
    }
  }

  /** Gives the browser a cookie for {@code site}, as if it had signed in there. */
  void setCookie(URI site, JenkinsHttp.Cookie cookie) throws IOException {
    requireLoopback(site);
    call(
        session,
        "Network.setCookie",
        Map.of(
            "name", cookie.name(),
            "value", cookie.value(),
            "url", site.toString(),
            "httpOnly", true));
  }

  /**
   * Opens {@code page} in a window {@code width} pixels wide, waits for its load event and then
   * {@code settleMs} more (for the page's own scripts).
   */
  void open(URI page, int width, long settleMs) throws IOException, InterruptedException {
    requireLoopback(page);
    call(
        session,
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", 800, "deviceScaleFactor", 1, "mobile", false));
    call(session, "Page.navigate", Map.of("url", page.toString()));
    awaitEvent("Page.loadEventFired");
    Thread.sleep(settleMs);
  }

  /**
   * Waits until the JavaScript {@code condition} holds on the open page (e.g. a drop-down the page
   * fills from the server has its options).
   */
  void await(String condition, long timeoutMs) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!evaluate("Boolean(" + condition + ")").asBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(condition + " did not hold within " + timeoutMs + " ms");
      }
      Thread.sleep(200);
    }
  }

  /** The open page's visible text. */
  String text() throws IOException {
    return evaluate("document.body.innerText").asText();
  }

  private JsonNode evaluate(String expression) throws IOException {
    return call(
            session, "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true))
        .path("result")
        .path("value");
  }

  /** A PNG of the whole open page, at most {@code maxHeight} pixels high. */
  byte[] screenshot(int maxHeight) throws IOException {
    JsonNode size = call(session, "Page.getLayoutMetrics", Map.of()).path("cssContentSize");
    int width = (int) Math.ceil(size.path("width").asDouble());
    int height = (int) Math.min(maxHeight, Math.ceil(size.path("height").asDouble()));
    call(
        session,
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    String png =
        call(session, "Page.captureScreenshot", Map.of("format", "png")).path("data").asText();
    return Base64.getDecoder().decode(png);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      send(null, "Browser.close", Map.of());
    } catch (IOException alreadyGone) {
      // stopped below either way
    }
    stop(process, profile);
  }

  private static void stop(Process process, Path profile) throws IOException {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    Files.deleteIfExists(profile.resolveSibling(profile.getFileName() + ".log"));
  }

  private static void requireLoopback(URI page) {
    if (!"127.0.0.1".equals(page.getHost())) {
      throw new IllegalArgumentException("tests open loopback pages only, not " + page.getHost());
    }
  }

  /** Sends a command and returns its result (events that arrive meanwhile are dropped). */
  private JsonNode call(String sessionId, String method, Map<String, ?> params) throws IOException {
    int id = send(sessionId, method, params);
    while (true) {
      JsonNode message = read();
      if (message.path("id").asInt(-1) == id) {
        if (message.has("error")) {
          throw new IOException(method + ": " + message.path("error"));
        }
        return message.path("result");
      }
    }
  }

  private void awaitEvent(String method) throws IOException {
    while (!method.equals(read().path("method").asText())) {
      // other events and late answers are of no interest here
    }
  }

  private int send(String sessionId, String method, Map<String, ?> params) throws IOException {
    int id = nextId++;
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", JSON.valueToTree(params));
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    toBrowser.write(JSON.writeValueAsBytes(message));
    toBrowser.write(0);
    toBrowser.flush();
    return id;
  }

  /** One protocol message: JSON ended by a NUL byte. */
  private JsonNode read() throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    for (int b = fromBrowser.read(); b != 0; b = fromBrowser.read()) {
      if (b < 0) {
        throw new IOException("chromium closed its protocol pipe");
      }
      message.write(b);
    }
    return JSON.readTree(new String(message.toByteArray(), StandardCharsets.UTF_8));
  }
}
