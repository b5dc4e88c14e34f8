package io.spotnest.hosts.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.OverlayPeers;
import io.spotnest.hosts.Pool;
import io.spotnest.hosts.ssh.LocalSshServer.Exec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static hosts' overlay flood lists are kept current over their SSH sessions: three "machines" are
 * in-process SSH servers on 127.0.0.1 (host keys checked against known_hosts as for real ones) that
 * record every command they are asked to run.
 */
class StaticOverlayUpkeepTest {
  private static final Pool POOL = new Pool("static-4c", "rack1");
  private static final String SCRIPT = "/usr/local/sbin/spotnest-overlay-peers";
  private static final String GATEWAY = "10.9.0.254";

  /** Generous: the first SSH handshakes of a JVM on a loaded machine can take seconds. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

  /** How long a run the test waits for may take: a reconnect's handshake and more. */
  private static final Duration WAIT = CONNECT_TIMEOUT.plusSeconds(10);

  @TempDir Path dir;
  private final OpenResources open = new OpenResources();
  private LocalSshServer a;
  private LocalSshServer b;
  private LocalSshServer c;

  @BeforeEach
  void machines() throws Exception {
    a = open.remember(LocalSshServer.start(dir.resolve("a")));
    b = open.remember(LocalSshServer.start(dir.resolve("b")));
    c = open.remember(LocalSshServer.start(dir.resolve("c")));
  }

  @AfterEach
  void closeAll() throws Exception {
    open.close();
  }

  /** a logs in as root, b as a user that runs the script through sudo, c as root. */
  private StaticSshHostProvider provider(OverlayPeers overlay) throws Exception {
    return provider(overlay, Duration.ofMillis(100));
  }

  /**
   * @param checkEvery the keep-alive interval, which is also how often the provider checks its
   *     hosts
   */
  private StaticSshHostProvider provider(OverlayPeers overlay, Duration checkEvery)
      throws Exception {
    List<SshHostConfig> hosts =
        List.of(
            a.host("rack1-a", POOL, "root", "10.9.0.1"),
            b.host("rack1-b", POOL, "spotnest", "10.9.0.2"),
            c.host("rack1-c", POOL, "root", "10.9.0.3"));
    StaticSshHostProvider p =
        new StaticSshHostProvider(
            hosts,
            Clock.systemUTC(),
            CONNECT_TIMEOUT,
            checkEvery,
            new ReconnectPolicy(
                Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(5)),
            dir,
            overlay);
    open.remember(p);
    open.remember(p.subscribe(event -> {}));
    return p;
  }

  private static void attach(StaticSshHostProvider p) {
    p.launch(new HostRequest(POOL, Market.ON_DEMAND));
  }

  @Test
  void everyAttachedHostFloodsToTheOthersAndTheGatewayAsHostsJoinAndLeave() throws Exception {
    StaticSshHostProvider p = provider(new OverlayPeers(List.of(GATEWAY)));

    attach(p);
    a.awaitLast("root", SCRIPT + " " + GATEWAY, WAIT);
    attach(p);
    a.awaitLast("root", SCRIPT + " 10.9.0.2 " + GATEWAY, WAIT);
    b.awaitLast("spotnest", "sudo -n " + SCRIPT + " 10.9.0.1 " + GATEWAY, WAIT);
    attach(p);
    a.awaitLast("root", SCRIPT + " 10.9.0.2 10.9.0.3 " + GATEWAY, WAIT);
    b.awaitLast("spotnest", "sudo -n " + SCRIPT + " 10.9.0.1 10.9.0.3 " + GATEWAY, WAIT);
    c.awaitLast("root", SCRIPT + " 10.9.0.1 10.9.0.2 " + GATEWAY, WAIT);

    p.terminate("rack1-b");
    a.awaitLast("root", SCRIPT + " 10.9.0.3 " + GATEWAY, WAIT);
    c.awaitLast("root", SCRIPT + " 10.9.0.1 " + GATEWAY, WAIT);

    Thread.sleep(600); // several more checks: each applied list is run once, never again
    assertEquals(
        List.of(
            SCRIPT + " " + GATEWAY,
            SCRIPT + " 10.9.0.2 " + GATEWAY,
            SCRIPT + " 10.9.0.2 10.9.0.3 " + GATEWAY,
            SCRIPT + " 10.9.0.3 " + GATEWAY),
        a.commands());
    assertEquals(
        List.of(
            "sudo -n " + SCRIPT + " 10.9.0.1 " + GATEWAY,
            "sudo -n " + SCRIPT + " 10.9.0.1 10.9.0.3 " + GATEWAY),
        b.commands(),
        "a detached host is left alone");
    assertEquals(
        List.of(SCRIPT + " 10.9.0.1 10.9.0.2 " + GATEWAY, SCRIPT + " 10.9.0.1 " + GATEWAY),
        c.commands());
  }

  @Test
  void anAttachAppliesTheListsBeforeItReturnsAndADetachWithoutWaitingForTheNextCheck()
      throws Exception {
    StaticSshHostProvider p = provider(new OverlayPeers(List.of(GATEWAY)), Duration.ofHours(1));
    attach(p);
    attach(p);
    assertEquals(
        List.of(
            new Exec("root", SCRIPT + " " + GATEWAY),
            new Exec("root", SCRIPT + " 10.9.0.2 " + GATEWAY)),
        a.execs(),
        "the hosts flood to b before its agents can start");
    assertEquals(
        List.of(new Exec("spotnest", "sudo -n " + SCRIPT + " 10.9.0.1 " + GATEWAY)), b.execs());

    p.terminate("rack1-b");
    a.awaitLast("root", SCRIPT + " " + GATEWAY, WAIT); // the next check is an hour away
  }

  @Test
  void aFailedRunIsNotRecordedAndIsRetriedUntilItSucceeds() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    a.answer(command -> runs.incrementAndGet() <= 2 ? 1 : 0);
    StaticSshHostProvider p = provider(new OverlayPeers(List.of(GATEWAY)));

    attach(p);
    a.awaitExecs(e -> e.size() >= 3, "three runs on a", WAIT);
    Thread.sleep(600);
    assertEquals(
        List.of(SCRIPT + " " + GATEWAY, SCRIPT + " " + GATEWAY, SCRIPT + " " + GATEWAY),
        a.commands(),
        "two failures retried, then the success recorded");
  }

  @Test
  void aReestablishedSessionAppliesTheListAgain() throws Exception {
    StaticSshHostProvider p = provider(new OverlayPeers(List.of(GATEWAY)));
    attach(p);
    a.awaitLast("root", SCRIPT + " " + GATEWAY, WAIT);

    a.dropSessions(); // the machine may have rebooted, its forwarding database empty
    a.awaitExecs(e -> e.size() >= 2, "a second run on a", WAIT);
    assertEquals(List.of(SCRIPT + " " + GATEWAY, SCRIPT + " " + GATEWAY), a.commands());
  }

  @Test
  void aMachineWhoseHostKeyIsNotTheKnownOneIsNeverAskedToRunAnything() throws Exception {
    Path changed = dir.resolve("changed_known_hosts");
    java.nio.file.Files.writeString(changed, b.knownHostsLine(c.hostKey())); // b's key changed
    StaticSshHostProvider p =
        open.remember(
            new StaticSshHostProvider(
                List.of(
                    b.host("rack1-b", POOL, "root", "10.9.0.2", changed),
                    a.host("rack1-a", POOL, "root", "10.9.0.1")),
                Clock.systemUTC(),
                CONNECT_TIMEOUT,
                Duration.ofMillis(100),
                ReconnectPolicy.STANDARD,
                dir,
                new OverlayPeers(List.of(GATEWAY))));
    open.remember(p.subscribe(event -> {}));

    attach(p); // b is refused (its key does not match), a is attached
    assertEquals(List.of(new Exec("root", SCRIPT + " " + GATEWAY)), a.execs());
    Thread.sleep(600);
    assertEquals(List.of(), b.execs(), "nothing was run on the machine with the wrong key");
    assertEquals(List.of("rack1-a"), p.list().stream().map(h -> h.id()).toList());
  }

  @Test
  void withoutAnOverlayNothingIsRunOnTheHosts() throws Exception {
    StaticSshHostProvider p = provider(null);
    attach(p);
    attach(p);
    Thread.sleep(600);
    assertEquals(List.of(), a.execs());
    assertEquals(List.of(), b.execs());
  }
}
