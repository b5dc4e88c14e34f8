package io.spotnest.testbed.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JenkinsTooling#awaitBuildEnd} and {@link JenkinsTooling#awaitCounter} against a stand-in
 * for a build's api/json and console.
 */
class JenkinsToolingBuildEndTest {
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** Serves job/{@code job}/7/...: the bodies in turn, the last one from then on. */
  private JenkinsTooling jenkins(String job, List<String> paths, String... bodies)
      throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger calls = new AtomicInteger();
    server.createContext(
        "/",
        exchange -> {
          paths.add(exchange.getRequestURI().getPath());
          byte[] body =
              bodies[Math.min(calls.getAndIncrement(), bodies.length - 1)].getBytes(
                  StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    return new JenkinsTooling(new JenkinsHttp(base, null, null));
  }

  @Test
  void waits_while_the_build_runs_and_returns_the_ended_builds_json() throws Exception {
    List<String> paths = new CopyOnWriteArrayList<>();
    JenkinsTooling jenkins =
        jenkins(
            "count",
            paths,
            "{\"building\":true,\"result\":null}",
            "{\"building\":false,\"result\":null}",
            "{\"building\":false,\"result\":\"SUCCESS\",\"duration\":1234}");
    var end = jenkins.awaitBuildEnd("count", 7, Duration.ofSeconds(30));
    assertEquals("SUCCESS", end.path("result").asText());
    assertEquals(1234, end.path("duration").asLong());
    assertEquals(3, paths.size(), paths.toString());
    assertEquals("/job/count/7/api/json", paths.get(0));
  }

  @Test
  void a_build_still_running_at_the_deadline_is_an_error_naming_it() throws Exception {
    JenkinsTooling jenkins = jenkins("count", new CopyOnWriteArrayList<>(), "{\"building\":true}");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> jenkins.awaitBuildEnd("count", 7, Duration.ofMillis(1500)));
    assertTrue(e.getMessage().startsWith("build #7 did not end within PT1.5S"), e.getMessage());
  }

  @Test
  void the_counter_scripts_console_is_what_await_counter_waits_for(@TempDir Path workspace)
      throws Exception {
    Process bash =
        new ProcessBuilder("bash", "-c", JenkinsTooling.counterScript(3))
            .directory(workspace.toFile())
            .redirectErrorStream(true)
            .start();
    String console = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, bash.waitFor(), console);
    assertTrue(console.startsWith("ON "), console);
    assertTrue(
        console.endsWith("COUNTER 1\nCOUNTER 2\nCOUNTER 3\nWORKSPACE-OK files=3\n"), console);
    assertEquals("counter 2\n", Files.readString(workspace.resolve("step-2.txt")));

    List<String> paths = new CopyOnWriteArrayList<>();
    JenkinsTooling jenkins = jenkins("count", paths, "ON h u\nCOUNTER 1\n", console);
    jenkins.awaitCounter("count", 7, 3, Duration.ofSeconds(30));
    assertEquals(List.of("/job/count/7/consoleText", "/job/count/7/consoleText"), paths);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> jenkins.awaitCounter("count", 7, 4, Duration.ofMillis(1500)));
    assertEquals("build #7 did not reach counter 4", e.getMessage());
  }
}
