package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent image's test server outside the lab: its test agent connects once over WebSocket on
 * loopback and answers its pings on that one connection; a listen address that is neither loopback
 * nor on a lab link is refused with one line naming {@code --bind}, exit 2.
 */
class AgentTestServerTest {
  private Path scratch;

  @BeforeEach
  void scratch() throws Exception {
    scratch = Files.createTempDirectory("sn-agent-test-server");
  }

  @AfterEach
  void clean() throws Exception {
    AgentTestServer.delete(scratch);
  }

  @Test
  void the_agent_connects_once_and_answers_pings_on_its_one_connection() throws Exception {
    byte[] random = new byte[16];
    ThreadLocalRandom.current().nextBytes(random);
    String secret = HexFormat.of().formatHex(random);
    Path secretFile = scratch.resolve("secret");
    Files.writeString(secretFile, secret + "\n");
    try (AgentTestServer server =
        AgentTestServer.start(
            scratch, "127.0.0.1", "loop-agent", secret, 50, Duration.ofSeconds(60))) {
      Process agent =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx32m",
                  "-jar",
                  server.agentJar().toString(),
                  "-url",
                  server.url() + "/",
                  "-name",
                  "loop-agent",
                  "-secret",
                  "@" + secretFile,
                  "-workDir",
                  scratch.resolve("work").toString(),
                  "-webSocket")
              .redirectErrorStream(true)
              .redirectOutput(scratch.resolve("agent.log").toFile())
              .start();
      try {
        AgentTestServer.Event connected =
            server
                .await(e -> e.kind().equals("AGENT-CONNECTED"), Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("no connection: " + server.events()));
        assertEquals(Optional.of("1"), connected.field("conn"));
        assertEquals(Optional.of("127.0.0.1"), connected.field("from"));
        assertEquals(Optional.of("loop-agent"), connected.field("name"));
        assertTrue(
            server
                .await(
                    e -> e.kind().equals("PONG") && e.field("seq").equals(Optional.of("5")),
                    Duration.ofSeconds(30))
                .isPresent(),
            "pings answered: " + server.events());
        assertTrue(
            server.events("PONG").stream().allMatch(e -> e.field("conn").equals(Optional.of("1"))),
            "pongs on the one connection: " + server.events("PONG"));
        long gap = server.longestPongGapMs(1, connected.atMs(), System.currentTimeMillis());
        assertTrue(gap > 0 && gap < 5_000, "longest gap between answered pings: " + gap);
      } finally {
        agent.destroy();
        assertTrue(agent.waitFor(10, TimeUnit.SECONDS));
      }
      assertTrue(
          server
              .await(e -> e.kind().equals("AGENT-DISCONNECTED"), Duration.ofSeconds(30))
              .flatMap(e -> e.field("conn"))
              .equals(Optional.of("1")),
          "the server saw the agent go: " + server.events());
      assertEquals(1, server.events("AGENT-CONNECTED").size(), server.events().toString());
      assertFalse(Files.readString(scratch.resolve("agent.log")).contains(secret));
    }
  }

  @Test
  void an_address_of_no_local_link_is_refused() throws Exception {
    AgentTestServer.Ended ended = AgentTestServer.ended(scratch, "192.0.2.1");
    assertEquals(2, ended.exit(), ended.output());
    assertEquals(
        "TestController: --bind 192.0.2.1: not an address of this machine; refusing to listen"
            + " there",
        ended.output().strip());
  }

  @Test
  void a_malformed_address_is_refused() throws Exception {
    AgentTestServer.Ended ended = AgentTestServer.ended(scratch, "10.0.0.300x");
    assertEquals(2, ended.exit(), ended.output());
    assertEquals(
        "TestController: --bind: expected an IPv4 address, got 10.0.0.300x",
        ended.output().strip());
  }
}
