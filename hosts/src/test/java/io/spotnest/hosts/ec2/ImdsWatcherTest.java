package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostCapacity;
import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.HostState;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.OverlayPeers;
import io.spotnest.hosts.Pool;
import io.spotnest.hosts.SinkUnavailableException;
import io.spotnest.hosts.events.EventIntake;
import io.spotnest.hosts.events.IntakeObserver;
import io.spotnest.hosts.events.SeenEvents;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host watcher script (as packaged into the user-data) run against the IMDSv2 fake, relaying to
 * the real controller endpoint.
 */
class ImdsWatcherTest {
  private static final String INSTANCE = "i-0123456789abcdef0";
  private static final String TOKEN = "relay-token-for-tests-0001";

  @TempDir Path dir;
  private ImdsFake imds;
  private ImdsRelayServer relay;
  private final List<HostEvent> durable = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger sinkFailuresLeft = new AtomicInteger();
  private Path script;
  private final List<Host> hosts = new CopyOnWriteArrayList<>();
  private Path applied;
  private Path peersCommand;

  @BeforeEach
  void start() throws Exception {
    imds = new ImdsFake(INSTANCE);
    imds.identity(TestIdentityCa.aws().signedIdentity(INSTANCE, "127.0.0.1", "us-east-1"));
    EventIntake intake =
        new EventIntake(
            e -> {
              if (sinkFailuresLeft.getAndDecrement() > 0) {
                throw new SinkUnavailableException("journal busy");
              }
              durable.add(e);
            },
            INSTANCE::equals,
            SeenEvents.standard(Clock.systemUTC()),
            IntakeObserver.logging());
    hosts.add(host(INSTANCE, "10.0.0.1"));
    hosts.add(host("i-0000000000000000b", "10.0.0.2"));
    relay =
        new ImdsRelayServer(
            new InetSocketAddress("127.0.0.1", 0),
            new RelayToken(TOKEN),
            TestIdentityCa.awsVerifier("us-east-1"),
            intake,
            Optional.empty(),
            Optional.of(
                new OverlayPeersEndpoint(
                    TestIdentityCa.awsVerifier("us-east-1"),
                    () -> List.copyOf(hosts),
                    new OverlayPeers(List.of("10.0.9.1")))));
    applied = dir.resolve("applied");
    peersCommand = dir.resolve("spotnest-overlay-peers");
    Files.writeString(
        peersCommand,
        "#!/bin/sh\n[ -e '"
            + dir.resolve("fail")
            + "' ] && exit 1\necho \"[$*]\" >> '"
            + applied
            + "'\n");
    Files.setPosixFilePermissions(peersCommand, PosixFilePermissions.fromString("rwx------"));
    script = dir.resolve("spotnest-imds-watcher.sh");
    try (InputStream in =
        getClass().getResourceAsStream("/io/spotnest/hosts/ec2/host/spotnest-imds-watcher.sh")) {
      Files.write(script, in.readAllBytes());
    }
    Files.writeString(dir.resolve("relay-token"), TOKEN + "\n");
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
    imds.close();
  }

  private record Run(int exit, String log) {}

  private Run watchOnce(String tokenFileContent) throws Exception {
    Process p = watcher(tokenFileContent, "--once").start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("watcher did not finish");
    }
    return new Run(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private ProcessBuilder watcher(String tokenFileContent, String... args) throws IOException {
    Path tokenFile = dir.resolve("relay-token");
    Files.writeString(tokenFile, tokenFileContent + "\n");
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("SPOTNEST_WATCHER_CONF", dir.resolve("absent.env").toString());
    env.put("SPOTNEST_RELAY_URL", "http://127.0.0.1:" + relay.address().getPort());
    env.put("SPOTNEST_RELAY_TOKEN_FILE", tokenFile.toString());
    env.put("SPOTNEST_IMDS_URL", imds.endpoint().toString());
    env.put("SPOTNEST_STATE_DIR", dir.resolve("state").toString());
    env.put("SPOTNEST_POLL_SECONDS", "1");
    env.put("SPOTNEST_OVERLAY_PEERS_COMMAND", peersCommand.toString());
    return pb;
  }

  @Test
  void pollingWatcherPicksUpANewNoticeAndRenewsAnExpiredToken() throws Exception {
    Process p = watcher(TOKEN).redirectOutput(dir.resolve("watcher.log").toFile()).start();
    try {
      for (int i = 0; i < 100 && imds.authorizedGets.get() < 6; i++) {
        Thread.sleep(50); // at least two quiet polls
      }
      assertEquals(List.of(), durable);
      imds.revokeTokens(); // the cached token expires: the watcher must take a new one
      imds.instanceAction("{\"action\": \"terminate\", \"time\": \"2026-11-23T12:02:00Z\"}");
      for (int i = 0; i < 200 && durable.isEmpty(); i++) {
        Thread.sleep(50);
      }
      assertEquals(1, durable.size(), Files.readString(dir.resolve("watcher.log")));
      assertTrue(imds.tokenPuts.get() >= 2, "a new token after the old one was refused");
      assertTrue(imds.unauthorizedGets.get() >= 1);
    } finally {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void quietHostRelaysNothingAndUsesTheTokenFlow() throws Exception {
    Run run = watchOnce(TOKEN);
    assertEquals(0, run.exit(), run.log());
    assertEquals(List.of(), durable);
    assertEquals(1, imds.tokenPuts.get());
    assertEquals(
        4, imds.authorizedGets.get(), "instance-id, signed identity, instance-action, rebalance");
    assertEquals(0, imds.unauthorizedGets.get(), "every GET carried the IMDSv2 token");
  }

  @Test
  void interruptionNoticeIsRelayedWithItsDeadlineAndOnlyOnce() throws Exception {
    imds.instanceAction("{\"action\": \"terminate\", \"time\": \"2026-11-23T12:02:00Z\"}");
    Run first = watchOnce(TOKEN);
    Run second = watchOnce(TOKEN);

    assertEquals(0, first.exit(), first.log());
    assertEquals(0, second.exit(), second.log());
    assertEquals(1, durable.size());
    HostEvent.InterruptionNotice n =
        assertInstanceOf(HostEvent.InterruptionNotice.class, durable.get(0));
    assertEquals(INSTANCE, n.hostId());
    assertEquals(Instant.parse("2026-11-23T12:02:00Z"), n.deadline());
    assertEquals("terminate", n.action());
    assertTrue(first.log().contains("relayed spot-instance-action"), first.log());
    assertTrue(
        !second.log().contains("relayed"), "not sent again once acknowledged: " + second.log());
  }

  @Test
  void rebalanceRecommendationIsRelayed() throws Exception {
    imds.rebalance("{\n  \"noticeTime\" : \"2026-11-23T11:50:00Z\"\n}"); // IMDS pretty-prints
    assertEquals(0, watchOnce(TOKEN).exit());
    HostEvent.RebalanceRecommendation r =
        assertInstanceOf(HostEvent.RebalanceRecommendation.class, durable.get(0));
    assertEquals(Instant.parse("2026-11-23T11:50:00Z"), r.noticeTime());
  }

  @Test
  void aNoticeTheControllerCouldNotMakeDurableIsSentAgain() throws Exception {
    imds.instanceAction("{\"action\": \"stop\", \"time\": \"2026-11-23T12:02:00Z\"}");
    sinkFailuresLeft.set(1);
    Run failed = watchOnce(TOKEN);
    assertEquals(1, failed.exit(), failed.log());
    assertTrue(failed.log().contains("HTTP 503"), failed.log());
    assertEquals(List.of(), durable);

    Run retried = watchOnce(TOKEN);
    assertEquals(0, retried.exit(), retried.log());
    assertEquals(1, durable.size());
  }

  @Test
  void aWrongRelayTokenIsRefused() throws Exception {
    imds.instanceAction("{\"action\": \"terminate\", \"time\": \"2026-11-23T12:02:00Z\"}");
    Run run = watchOnce("wrong-token-wrong-token-01");
    assertEquals(1, run.exit(), run.log());
    assertTrue(run.log().contains("HTTP 401"), run.log());
    assertTrue(!run.log().contains("wrong-token"), "the token is never printed");
    assertEquals(List.of(), durable);
  }

  @Test
  void aHostPresentingAnotherInstancesIdentityIsRefusedAndKeepsTrying() throws Exception {
    imds.identity(
        TestIdentityCa.aws().signedIdentity("i-0fffffffffffffff9", "127.0.0.1", "us-east-1"));
    imds.instanceAction("{\"action\": \"terminate\", \"time\": \"2026-11-23T12:02:00Z\"}");
    Run run = watchOnce(TOKEN);
    assertEquals(1, run.exit(), run.log());
    assertTrue(run.log().contains("HTTP 403"), run.log());
    assertEquals(List.of(), durable);
  }

  @Test
  void theTokenIsNeverOnACommandLineOrCopiedToAFileAndTheIdentityNeverOnACommandLine()
      throws Exception {
    imds.instanceAction("{\"action\": \"terminate\", \"time\": \"2026-11-23T12:02:00Z\"}");
    sinkFailuresLeft.set(Integer.MAX_VALUE); // 503 forever: the watcher keeps posting
    String signed = TestIdentityCa.aws().signedIdentity(INSTANCE, "127.0.0.1", "us-east-1");
    imds.identity(signed);
    String identityStart =
        signed.lines().skip(3).findFirst().orElseThrow(); // a line of the signature's body
    Process p = watcher(TOKEN).redirectOutput(dir.resolve("watcher.log").toFile()).start();
    int seen = 0;
    try {
      long end = System.nanoTime() + 4_000_000_000L;
      while (System.nanoTime() < end) {
        for (ProcessHandle h : p.descendants().toList()) {
          String cmdline;
          try {
            cmdline =
                Files.readString(
                    Path.of("/proc/" + h.pid() + "/cmdline"), StandardCharsets.ISO_8859_1);
          } catch (IOException gone) {
            continue;
          }
          seen++;
          assertTrue(
              !cmdline.contains(TOKEN),
              "the relay token is on a command line: " + cmdline.replace('\0', ' '));
          assertTrue(
              !cmdline.contains(identityStart),
              "the signed identity is on a command line: " + cmdline.replace('\0', ' '));
        }
      }
    } finally {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    assertTrue(seen > 10, "saw the watcher's child processes " + seen + " times");
    String log = Files.readString(dir.resolve("watcher.log"));
    assertTrue(
        log.contains("HTTP 503") && !log.contains(TOKEN) && !log.contains(identityStart), log);
    try (var files = Files.walk(dir.resolve("state"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertTrue(
            !Files.readString(f, StandardCharsets.ISO_8859_1).contains(TOKEN),
            "the token was copied into " + f);
      }
    }
  }

  @Test
  void theWatcherAppliesTheFloodListWhenItChangedAndOnlyThen() throws Exception {
    Process p = watcher(TOKEN).redirectOutput(dir.resolve("watcher.log").toFile()).start();
    try {
      // first poll: instance-id, identity, two notices; then two GETs per poll
      for (int i = 0; i < 200 && imds.authorizedGets.get() < 4 + 2 * 3; i++) {
        Thread.sleep(50); // three more polls with the same list
      }
      String log = Files.readString(dir.resolve("watcher.log"));
      assertTrue(imds.authorizedGets.get() >= 10, log);
      assertEquals(
          List.of("[10.0.0.2 10.0.9.1]"),
          Files.readAllLines(applied),
          "applied at the first poll, an unchanged list not again: " + log);
      assertTrue(log.contains("overlay peers: 10.0.0.2 10.0.9.1"), log);

      hosts.add(host("i-0000000000000000c", "10.0.0.3")); // joins
      hosts.set(1, hosts.get(1).withState(HostState.TERMINATING)); // leaves
      for (int i = 0; i < 200 && Files.readAllLines(applied).size() < 2; i++) {
        Thread.sleep(50);
      }
      assertEquals(
          List.of("[10.0.0.2 10.0.9.1]", "[10.0.0.3 10.0.9.1]"), Files.readAllLines(applied));
    } finally {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void aRestartedWatcherAppliesTheListAgainEvenWhenItDidNotChange() throws Exception {
    Run first = watchOnce(TOKEN);
    assertEquals(0, first.exit(), first.log());
    assertEquals(List.of("[10.0.0.2 10.0.9.1]"), Files.readAllLines(applied));

    // a reboot (or a restart of the service): the state directory is kept, but the devices the
    // list went to may be new (spotnest-overlay-up re-creates vxlan0 with an empty FDB)
    Run restarted = watchOnce(TOKEN);
    assertEquals(0, restarted.exit(), restarted.log());
    assertEquals(
        List.of("[10.0.0.2 10.0.9.1]", "[10.0.0.2 10.0.9.1]"),
        Files.readAllLines(applied),
        restarted.log());
  }

  @Test
  void aListThatCouldNotBeAppliedIsAppliedAgainNextPoll() throws Exception {
    Files.writeString(dir.resolve("fail"), "");
    Run failed = watchOnce(TOKEN);
    assertEquals(1, failed.exit(), failed.log());
    assertTrue(failed.log().contains("spotnest-overlay-peers failed"), failed.log());

    Files.delete(dir.resolve("fail"));
    Run retried = watchOnce(TOKEN);
    assertEquals(0, retried.exit(), retried.log());
    assertEquals(List.of("[10.0.0.2 10.0.9.1]"), Files.readAllLines(applied));
  }

  @Test
  void aHostTheRelayRefusesKeepsItsListAndAsksAgain() throws Exception {
    hosts.remove(0); // the relay no longer counts this instance as a live host of the cluster
    Run refused = watchOnce(TOKEN);
    assertEquals(1, refused.exit(), refused.log());
    assertTrue(
        refused.log().contains("overlay peer list") && refused.log().contains("HTTP 403"),
        refused.log());
    assertTrue(!Files.exists(applied), "nothing applied");
  }

  @Test
  void aControllerWithoutThePeerListLeavesTheOverlayAlone() throws Exception {
    relay.close();
    relay =
        new ImdsRelayServer(
            new InetSocketAddress("127.0.0.1", relay.address().getPort()),
            new RelayToken(TOKEN),
            TestIdentityCa.awsVerifier("us-east-1"),
            new EventIntake(
                durable::add,
                INSTANCE::equals,
                SeenEvents.standard(Clock.systemUTC()),
                IntakeObserver.logging()));
    Run run = watchOnce(TOKEN);
    assertEquals(0, run.exit(), run.log());
    assertTrue(!Files.exists(applied), "nothing applied: " + run.log());
  }

  @Test
  void theRelayDropsMalformedNoticesWith422AndRefusesImdsV1() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String identity =
        TestIdentityCa.aws()
            .signedIdentity(INSTANCE, "127.0.0.1", "us-east-1")
            .replace("\n", "\\n");
    HttpResponse<String> bad =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + relay.address().getPort() + ImdsRelayServer.PATH))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"instanceId\":\""
                            + INSTANCE
                            + "\",\"kind\":\"spot-instance-action\",\"payload\":\"{\\\"action\\\":\\\"terminate\\\"}\",\"identity\":\""
                            + identity
                            + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(422, bad.statusCode(), "a notice without a time is dropped, not retried");

    HttpResponse<String> v1 =
        http.send(
            HttpRequest.newBuilder(URI.create(imds.endpoint() + "/latest/meta-data/instance-id"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(
        401, v1.statusCode(), "the fake, like IMDS in required-token mode, refuses tokenless GETs");
  }

  private static Host host(String id, String underlay) {
    URI uri = URI.create("qemu+tls://" + underlay + "/system");
    return new Host(
        id,
        new Pool("c8i.2xlarge", "us-east-1a"),
        Market.SPOT,
        HostState.RUNNING,
        uri,
        uri,
        Optional.of(underlay),
        HostCapacity.UNKNOWN,
        "use1-az6",
        Optional.empty(),
        Instant.EPOCH);
  }
}
