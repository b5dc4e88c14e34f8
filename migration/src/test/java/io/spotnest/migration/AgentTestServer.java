package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.testbed.RepoRoot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The agent image's controller-side test server ({@code
 * nested-agent-image/agent-image/test/TestController.java}, the one {@code ./spotnest image build}
 * boots against) and its test agent.jar, compiled from the image's sources and run as a child
 * process; its events ({@code TEST-SERVER <kind> ... at_ms=<ms>}) are collected as they come.
 */
final class AgentTestServer implements AutoCloseable {

  /** One event line of the server, without its {@code TEST-SERVER } prefix. */
  record Event(String kind, String text, long atMs) {
    private static final Pattern LINE = Pattern.compile("TEST-SERVER (\\S+)(.*) at_ms=(\\d+)");

    static Optional<Event> parse(String line) {
      Matcher m = LINE.matcher(line);
      return m.matches()
          ? Optional.of(new Event(m.group(1), m.group(2).strip(), Long.parseLong(m.group(3))))
          : Optional.empty();
    }

    /** The value of {@code key=} in the event, if present. */
    Optional<String> field(String key) {
      Matcher m = Pattern.compile("(?:^| )" + Pattern.quote(key) + "=(\\S*)").matcher(text);
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
  }

  private static final List<String> SOURCES =
      List.of("WsFrames.java", "TestAgent.java", "TestController.java");

  private final Process process;
  private final String address;
  private final int port;
  private final Path agentJar;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final StringBuilder other = new StringBuilder();

  private AgentTestServer(Process process, String address, int port, Path agentJar) {
    this.process = process;
    this.address = address;
    this.port = port;
    this.agentJar = agentJar;
    DaemonThreads.start("agent-test-server-out", this::read);
  }

  /**
   * Compiles the server and the test agent.jar into {@code scratch} and starts the server: it
   * listens on {@code bind} (which it refuses unless loopback or on a lab link), expects the agent
   * {@code agentName} with {@code secret} (given on its stdin), pings a connected agent every
   * {@code pingMs} (0: never) and exits by itself after {@code lifetime}.
   */
  static AgentTestServer start(
      Path scratch, String bind, String agentName, String secret, long pingMs, Duration lifetime)
      throws IOException, InterruptedException {
    Path classes = compile(scratch);
    Path jar = scratch.resolve("agent.jar");
    java.util.spi.ToolProvider jarTool = java.util.spi.ToolProvider.findFirst("jar").orElseThrow();
    StringWriter jarOut = new StringWriter();
    int rc =
        jarTool.run(
            new java.io.PrintWriter(jarOut),
            new java.io.PrintWriter(jarOut),
            "--create",
            "--file",
            jar.toString(),
            "--main-class",
            "TestAgent",
            "-C",
            classes.toString(),
            ".");
    assertEquals(0, rc, "jar: " + jarOut);
    Process p = launch(classes, jar, scratch, bind, agentName, pingMs, lifetime);
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write((secret + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    Path portFile = scratch.resolve("port");
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(portFile) && p.isAlive() && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    if (!Files.exists(portFile)) {
      String output = p.isAlive() ? "" : new String(p.getInputStream().readAllBytes());
      p.destroyForcibly();
      throw new AssertionError("the test server did not start: " + output.strip());
    }
    AgentTestServer server =
        new AgentTestServer(p, bind, Integer.parseInt(Files.readString(portFile).strip()), jar);
    if (server.await(e -> e.kind().equals("LISTENING"), Duration.ofSeconds(30)).isEmpty()) {
      server.close();
      throw new AssertionError("the test server did not say where it listens");
    }
    return server;
  }

  /** How a server run ended. */
  record Ended(int exit, String output) {}

  /**
   * Starts the server with {@code bind} and no secret on its stdin, and returns how it ended: a
   * refused {@code --bind} ends it before it reads stdin.
   */
  static Ended ended(Path scratch, String bind) throws IOException, InterruptedException {
    Path classes = compile(scratch);
    Process p =
        launch(
            classes,
            scratch.resolve("no.jar"),
            scratch,
            bind,
            "refused-agent",
            0,
            Duration.ofSeconds(30));
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the test server did not end");
    return new Ended(p.exitValue(), output);
  }

  private static Path compile(Path scratch) throws IOException {
    Path sources = RepoRoot.find().resolve("nested-agent-image/agent-image/test");
    Path classes = scratch.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "no Java compiler in this JVM (run the tests with a JDK)");
    List<String> args =
        new ArrayList<>(List.of("--release", "17", "-nowarn", "-d", classes.toString()));
    SOURCES.forEach(s -> args.add(sources.resolve(s).toString()));
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int rc = javac.run(null, err, err, args.toArray(String[]::new));
    assertEquals(0, rc, "javac of the test server: " + err);
    return classes;
  }

  private static Process launch(
      Path classes,
      Path jar,
      Path scratch,
      String bind,
      String agentName,
      long pingMs,
      Duration lifetime)
      throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-Xmx64m",
            "-cp",
            classes.toString(),
            "TestController",
            "--jar",
            jar.toString(),
            "--name",
            agentName,
            "--port-file",
            scratch.resolve("port").toString(),
            "--lifetime-s",
            Long.toString(Math.max(1, lifetime.toSeconds())),
            "--bind",
            bind,
            "--ping-ms",
            Long.toString(pingMs))
        .redirectErrorStream(true)
        .start();
  }

  private void read() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Optional<Event> e = Event.parse(line);
        if (e.isPresent()) {
          events.add(e.get());
        } else {
          synchronized (other) {
            other.append(line).append('\n');
          }
        }
      }
    } catch (IOException e) {
      // the server ended
    }
  }

  /** The URL the agent is given: {@code http://<address>:<port>}. */
  URI url() {
    return URI.create("http://" + address + ":" + port);
  }

  /** The test agent.jar the server serves (to run it outside a VM). */
  Path agentJar() {
    return agentJar;
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  List<Event> events(String kind) {
    return events.stream().filter(e -> e.kind().equals(kind)).toList();
  }

  /** Waits for an event; empty when none came within {@code within} or the server ended. */
  Optional<Event> await(Predicate<Event> which, Duration within) throws InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    while (true) {
      Optional<Event> e = events.stream().filter(which).findFirst();
      if (e.isPresent() || System.nanoTime() > until || !process.isAlive()) {
        return e.isPresent() ? e : events.stream().filter(which).findFirst();
      }
      Thread.sleep(100);
    }
  }

  /**
   * The longest silence of connection {@code conn} between {@code fromMs} and {@code toMs}
   * (wall-clock ms): the largest gap between two of its answered pings there, counting the last
   * answer before {@code fromMs} and the first after {@code toMs}.
   */
  long longestPongGapMs(int conn, long fromMs, long toMs) {
    List<Long> at =
        events("PONG").stream()
            .filter(e -> e.field("conn").equals(Optional.of(Integer.toString(conn))))
            .map(Event::atMs)
            .toList();
    long max = 0;
    for (int i = 1; i < at.size(); i++) {
      if (at.get(i) >= fromMs && at.get(i - 1) <= toMs) {
        max = Math.max(max, at.get(i) - at.get(i - 1));
      }
    }
    return max;
  }

  /** Output lines that were not events (the server's own errors). */
  String otherOutput() {
    synchronized (other) {
      return other.toString();
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Deletes a scratch directory and everything in it. */
  static void delete(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
