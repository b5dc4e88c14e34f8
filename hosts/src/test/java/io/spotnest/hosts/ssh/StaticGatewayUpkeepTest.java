package io.spotnest.hosts.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.OverlayPeers;
import io.spotnest.hosts.Pool;
import io.spotnest.hosts.ssh.LocalSshServer.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A static cluster's overlay gateways get their flood lists over SSH like the hosts: two hosts and
 * two gateways are in-process SSH servers on 127.0.0.1 (host keys checked against known_hosts as
 * for real machines) that record every command they are asked to run.
 */
class StaticGatewayUpkeepTest {
  private static final Pool POOL = new Pool("static-4c", "rack1");
  private static final String SCRIPT = "/usr/local/sbin/spotnest-overlay-peers";
  private static final String GATEWAY = "10.9.0.254";
  private static final String OTHER_GATEWAY = "10.9.0.253";

  /** How long a run the test waits for may take. */
  private static final Duration WAIT =
      Duration.ofSeconds(30); // SSH handshakes take seconds on a loaded machine

  /**
   * SSH keep-alive and check interval. A session counts as lost after 3 unanswered keep-alives, so
   * at 100 ms an in-process SSH server starved of CPU for 0.3 s (a loaded CI machine) looked lost
   * right after the attach, whose flood-list run was then skipped; 1 s rides out such stalls.
   */
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);

  /** Several checks: long enough for three passes of the timer. */
  private static final long SEVERAL_CHECKS_MS = 3 * KEEP_ALIVE.toMillis() + 500;

  /** Generous: the first SSH handshakes of a JVM on a loaded machine can take seconds. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final OpenResources open = new OpenResources();
  private LocalSshServer a;
  private LocalSshServer b;
  private LocalSshServer g;
  private LocalSshServer h;

  @BeforeEach
  void machines() throws Exception {
    a = open.remember(LocalSshServer.start(dir.resolve("a")));
    b = open.remember(LocalSshServer.start(dir.resolve("b")));
    g = open.remember(LocalSshServer.start(dir.resolve("g")));
    h = open.remember(LocalSshServer.start(dir.resolve("h")));
  }

  @AfterEach
  void closeAll() throws Exception {
    open.close();
  }

  private List<SshHostConfig> hosts() {
    return List.of(
        a.host("rack1-a", POOL, "root", "10.9.0.1"), b.host("rack1-b", POOL, "root", "10.9.0.2"));
  }

  private StaticSshHostProvider provider(List<SshHostConfig> gateways) {
    StaticSshHostProvider p =
        new StaticSshHostProvider(
            hosts(),
            Clock.systemUTC(),
            CONNECT_TIMEOUT,
            KEEP_ALIVE,
            new ReconnectPolicy(
                Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(5)),
            dir,
            new OverlayPeers(List.of(GATEWAY, OTHER_GATEWAY)),
            gateways);
    open.remember(p);
    open.remember(p.subscribe(event -> {}));
    return p;
  }

  private static void attach(StaticSshHostProvider p) {
    p.launch(new HostRequest(POOL, Market.ON_DEMAND));
  }

  @Test
  void eachGatewayFloodsToEveryAttachedHostAndTheOtherGatewaysAsHostsJoinAndLeave()
      throws Exception {
    StaticSshHostProvider p =
        provider(
            List.of(
                g.host("gw-1", StaticMachines.GATEWAY_POOL, "root", GATEWAY),
                h.host("gw-2", StaticMachines.GATEWAY_POOL, "spotnest", OTHER_GATEWAY)));

    g.awaitLast("root", SCRIPT + " " + OTHER_GATEWAY, WAIT); // no host attached yet
    h.awaitLast("spotnest", "sudo -n " + SCRIPT + " " + GATEWAY, WAIT);
    attach(p);
    g.awaitLast("root", SCRIPT + " 10.9.0.1 " + OTHER_GATEWAY, WAIT);
    h.awaitLast("spotnest", "sudo -n " + SCRIPT + " 10.9.0.1 " + GATEWAY, WAIT);
    attach(p);
    g.awaitLast("root", SCRIPT + " 10.9.0.1 10.9.0.2 " + OTHER_GATEWAY, WAIT);
    a.awaitLast("root", SCRIPT + " 10.9.0.2 " + OTHER_GATEWAY + " " + GATEWAY, WAIT);
    p.terminate("rack1-a");
    g.awaitLast("root", SCRIPT + " 10.9.0.2 " + OTHER_GATEWAY, WAIT);
    h.awaitLast("spotnest", "sudo -n " + SCRIPT + " 10.9.0.2 " + GATEWAY, WAIT);

    Thread.sleep(SEVERAL_CHECKS_MS); // several more checks: each list is run once, never again
    assertEquals(
        List.of(
            SCRIPT + " " + OTHER_GATEWAY,
            SCRIPT + " 10.9.0.1 " + OTHER_GATEWAY,
            SCRIPT + " 10.9.0.1 10.9.0.2 " + OTHER_GATEWAY,
            SCRIPT + " 10.9.0.2 " + OTHER_GATEWAY),
        g.commands());
  }

  @Test
  void aCheckSlowToReachItsGatewayAppliesTheHostsAttachedMeanwhileAndUndoesNoAttachsLists()
      throws Exception {
    LocalSshServer.LoginGate slow = g.holdLogins();
    StaticSshHostProvider p =
        provider(List.of(g.host("gw-1", StaticMachines.GATEWAY_POOL, "root", GATEWAY)));
    slow.awaitLogin(WAIT); // the first check is logging in to the gateway
    attach(p);
    attach(p);
    a.awaitLast("root", SCRIPT + " 10.9.0.2 " + OTHER_GATEWAY + " " + GATEWAY, WAIT);
    slow.open();

    g.awaitExecs(e -> !e.isEmpty(), "the gateway's first run", WAIT);
    assertEquals(
        SCRIPT + " 10.9.0.1 10.9.0.2 " + OTHER_GATEWAY,
        g.commands().get(0),
        "the gateway floods to the hosts attached while it was being reached");
    Thread.sleep(SEVERAL_CHECKS_MS); // several more checks: each list is run once, never again
    assertEquals(
        List.of(
            SCRIPT + " " + OTHER_GATEWAY + " " + GATEWAY,
            SCRIPT + " 10.9.0.2 " + OTHER_GATEWAY + " " + GATEWAY),
        a.commands());
    assertEquals(List.of(SCRIPT + " 10.9.0.1 " + OTHER_GATEWAY + " " + GATEWAY), b.commands());
    assertEquals(List.of(SCRIPT + " 10.9.0.1 10.9.0.2 " + OTHER_GATEWAY), g.commands());
  }

  @Test
  void aGatewaysDroppedSessionIsReestablishedAndTheListAppliedAgain() throws Exception {
    StaticSshHostProvider p =
        provider(List.of(g.host("gw-1", StaticMachines.GATEWAY_POOL, "root", GATEWAY)));
    attach(p);
    g.awaitLast("root", SCRIPT + " 10.9.0.1 " + OTHER_GATEWAY, WAIT);
    int before = g.execs().size();

    g.dropSessions(); // the gateway may have rebooted, its forwarding database empty
    g.awaitExecs(e -> e.size() > before, "a run after the reconnect", WAIT);
    g.awaitLast("root", SCRIPT + " 10.9.0.1 " + OTHER_GATEWAY, WAIT);
  }

  @Test
  void aGatewayWhoseHostKeyIsNotTheKnownOneIsNeverAskedToRunAnything() throws Exception {
    Path changed = dir.resolve("changed_known_hosts");
    Files.writeString(changed, g.knownHostsLine(h.hostKey())); // g's key changed
    StaticSshHostProvider p =
        open.remember(
            new StaticSshHostProvider(
                hosts(),
                Clock.systemUTC(),
                CONNECT_TIMEOUT,
                KEEP_ALIVE,
                ReconnectPolicy.STANDARD,
                dir,
                new OverlayPeers(List.of(GATEWAY, OTHER_GATEWAY)),
                List.of(g.host("gw-1", StaticMachines.GATEWAY_POOL, "root", GATEWAY, changed))));
    // attached before the checks start: no handshake of a's runs beside the refused one of g's
    attach(p);
    assertEquals(
        List.of(new Exec("root", SCRIPT + " " + OTHER_GATEWAY + " " + GATEWAY)), a.execs());
    open.remember(p.subscribe(event -> {}));
    Thread.sleep(SEVERAL_CHECKS_MS); // several checks
    assertEquals(List.of(), g.execs(), "nothing was run on the machine with the wrong key");
    assertEquals(
        List.of(new Exec("root", SCRIPT + " " + OTHER_GATEWAY + " " + GATEWAY)),
        a.execs(),
        "the hosts are kept current all the same");
  }

  @Test
  void aGatewayMustBeOneOfTheOverlaysGatewaysAndHaveAnAddress() {
    IllegalArgumentException notListed =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                provider(List.of(g.host("gw-9", StaticMachines.GATEWAY_POOL, "root", "10.9.0.9"))));
    assertEquals(
        "overlayGateways: gateway 'gw-9' has VTEP 10.9.0.9, which is not in overlayGateways",
        notListed.getMessage());
    IllegalArgumentException noOverlay =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new StaticSshHostProvider(
                    hosts(),
                    Clock.systemUTC(),
                    CONNECT_TIMEOUT,
                    KEEP_ALIVE,
                    ReconnectPolicy.STANDARD,
                    dir,
                    null,
                    List.of(g.host("gw-1", StaticMachines.GATEWAY_POOL, "root", GATEWAY))));
    assertEquals(
        "overlayGateways: gateway 'gw-1' is listed but the cloud has no overlay gateways",
        noOverlay.getMessage());
    IllegalArgumentException sameName =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                provider(List.of(g.host("rack1-a", StaticMachines.GATEWAY_POOL, "root", GATEWAY))));
    assertEquals("name: 'rack1-a' is listed twice", sameName.getMessage());
  }
}
