package io.spotnest.testbed.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link JenkinsTooling#awaitBuildEnd} against a stand-in for a build's api/json. */
class JenkinsToolingBuildEndTest {
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** Serves job/{@code job}/7/api/json: the bodies in turn, the last one from then on. */
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
}
