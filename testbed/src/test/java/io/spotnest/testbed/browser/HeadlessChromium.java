package io.spotnest.testbed.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium}, headless, driven over the DevTools protocol on a pipe (its fds 3 and
 * 4, never a TCP port): it takes a cookie, opens loopback pages (or pages on lab addresses the
 * caller checked), lets them run for a budget of virtual time, reads their text or DOM and takes
 * screenshots. Every host name resolves to nothing but 127.0.0.1 (and those lab addresses) and
 * background networking is off, so the browser reaches no other address. A cookie travels through
 * the pipe only: never a file or the command line.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> BINARIES =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");

  /** How long the browser may take to send any one message the driver waits for. */
  private static final long ANSWER_SECONDS = 120;

  /** Put on the queue once the browser has closed its end of the pipe. */
  private static final JsonNode CLOSED = MissingNode.getInstance();

  private final Process process;
  private final Path profile;
  private final OutputStream toBrowser;
  private final BlockingQueue<JsonNode> fromBrowser = new LinkedBlockingQueue<>();
  private final String session;
  private final Set<String> allowedHosts;
  private int nextId = 1;

  private HeadlessChromium(Process process, Path profile, List<InetAddress> labAddresses)
      throws IOException {
    this.allowedHosts = new HashSet<>(Set.of("127.0.0.1"));
    labAddresses.forEach(a -> allowedHosts.add(a.getHostAddress()));
    this.process = process;
    this.profile = profile;
    this.toBrowser = process.getOutputStream();
    // not DaemonThreads: dashboard's tests take this test jar without testbed's main classes
    Thread reader = new Thread(() -> readAll(process.getInputStream()), "chromium-devtools");
    reader.setDaemon(true);
    reader.start();
    String target =
        call(null, "Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
    this.session =
        call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
            .path("sessionId")
            .asText();
    call(session, "Page.enable", Map.of());
  }

  /** Whether the browser is installed (src/sh/prereqs.sh installs it). */
  public static boolean installed() {
    return binary().isPresent();
  }

  /**
   * Starts the browser; when it is missing the test fails under {@code CI=true} (CI installs it)
   * and is skipped, loudly, elsewhere, saying {@code withoutIt} (what the test cannot do then).
   */
  public static HeadlessChromium start(String withoutIt) throws IOException {
    return start(withoutIt, List.of());
  }

  /**
   * Starts the browser allowed to open pages on 127.0.0.1 and on {@code labAddresses}: addresses
   * the caller has checked, with {@code ip route get} ({@code NetworkGuard}), to be inside the lab
   * it created (a real Jenkins on the lab controller's address, say). Nothing else resolves.
   */
  public static HeadlessChromium start(String withoutIt, List<InetAddress> labAddresses)
      throws IOException {
    Optional<Path> binary = binary();
    if (binary.isEmpty()) {
      String message =
          "chromium is not installed (apt-get install -y chromium, as src/sh/prereqs.sh does): "
              + withoutIt;
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
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
                    + labAddresses.stream()
                        .map(a -> ", EXCLUDE " + a.getHostAddress())
                        .collect(Collectors.joining()),
                "about:blank"));
    Process process = new ProcessBuilder(command).redirectError(log(profile).toFile()).start();
    try {
      return new HeadlessChromium(process, profile, labAddresses);
    } catch (IOException | RuntimeException e) {
      stop(process, profile);
      throw e;
    }
  }

  private static Optional<Path> binary() {
    return BINARIES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
  }

  /** Gives the browser the cookie {@code name=value} for {@code site}, as if it had signed in. */
  public void setCookie(URI site, String name, String value) throws IOException {
    requireAllowed(site);
    call(
        session,
        "Network.setCookie",
        Map.of("name", name, "value", value, "url", site.toString(), "httpOnly", true));
  }

  /**
   * Opens {@code page} in a window {@code width} pixels wide, waits for its load event and then
   * {@code settleMs} more (for the page's own scripts).
   */
  public void open(URI page, int width, long settleMs) throws IOException, InterruptedException {
    requireAllowed(page);
    call(
        session,
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", 800, "deviceScaleFactor", 1, "mobile", false));
    callAndAwait(session, "Page.navigate", Map.of("url", page.toString()), "Page.loadEventFired");
    Thread.sleep(settleMs);
  }

  /**
   * Lets the open page run for {@code virtualMs} of virtual time: its timers fire without waiting
   * that long on the wall clock (so a page that polls every 2 s polls several times in a moment),
   * and the clock stands still while a request of the page is pending.
   */
  public void runFor(int virtualMs) throws IOException {
    callAndAwait(
        session,
        "Emulation.setVirtualTimePolicy",
        Map.of("policy", "pauseIfNetworkFetchesPending", "budget", virtualMs),
        "Emulation.virtualTimeBudgetExpired");
  }

  /**
   * Waits until the JavaScript {@code condition} holds on the open page (e.g. a drop-down the page
   * fills from the server has its options).
   */
  public void await(String condition, long timeoutMs) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!evaluate("Boolean(" + condition + ")").asBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(condition + " did not hold within " + timeoutMs + " ms");
      }
      Thread.sleep(200);
    }
  }

  /** The open page's visible text. */
  public String text() throws IOException {
    return evaluate("document.body.innerText").asText();
  }

  /** The open page's DOM as HTML, as the page's scripts have left it. */
  public String dom() throws IOException {
    return evaluate("document.documentElement.outerHTML").asText();
  }

  private JsonNode evaluate(String expression) throws IOException {
    return call(
            session, "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true))
        .path("result")
        .path("value");
  }

  /** A PNG of the whole open page, at most {@code maxHeight} pixels high. */
  public byte[] screenshot(int maxHeight) throws IOException {
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
  public void close() throws IOException {
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
    Files.deleteIfExists(log(profile));
  }

  private static Path log(Path profile) {
    return profile.resolveSibling(profile.getFileName() + ".log");
  }

  private void requireAllowed(URI page) {
    if (!allowedHosts.contains(page.getHost())) {
      throw new IllegalArgumentException(
          "tests open loopback or checked lab pages only, not " + page.getHost());
    }
  }

  /** Sends a command and returns its result (events that arrive meanwhile are dropped). */
  private JsonNode call(String sessionId, String method, Map<String, ?> params) throws IOException {
    return callAndAwait(sessionId, method, params, null);
  }

  /**
   * Sends a command and returns its result once it has answered and, unless {@code event} is null,
   * that event has arrived too (in either order; other events are dropped).
   */
  private JsonNode callAndAwait(
      String sessionId, String method, Map<String, ?> params, String event) throws IOException {
    int id = send(sessionId, method, params);
    JsonNode result = null;
    boolean seen = event == null;
    while (result == null || !seen) {
      JsonNode message = read(method);
      if (message.path("id").asInt(-1) == id) {
        if (message.has("error")) {
          throw new IOException(method + ": " + message.path("error"));
        }
        result = message.path("result");
      } else if (!seen && event.equals(message.path("method").asText())) {
        seen = true;
      }
    }
    return result;
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

  /**
   * The next protocol message, waiting at most {@link #ANSWER_SECONDS} while {@code method} runs.
   */
  private JsonNode read(String method) throws IOException {
    JsonNode message;
    try {
      message = fromBrowser.poll(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for chromium (" + method + ")", e);
    }
    if (message == null) {
      throw new IOException("chromium did not answer " + method + " in " + ANSWER_SECONDS + " s");
    }
    if (message == CLOSED) {
      fromBrowser.add(CLOSED);
      throw new IOException("chromium closed its protocol pipe (" + method + ")");
    }
    return message;
  }

  /** Queues the browser's messages (JSON, each ended by a NUL byte) until it closes the pipe. */
  private void readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b != 0) {
          message.write(b);
          continue;
        }
        fromBrowser.add(JSON.readTree(new String(message.toByteArray(), StandardCharsets.UTF_8)));
        message.reset();
      }
    } catch (IOException pipeGone) {
      // reported to the caller as a closed pipe
    } finally {
      fromBrowser.add(CLOSED);
    }
  }
}
