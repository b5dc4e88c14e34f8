package io.spotnest.hosts.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.HostState;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.NotOwnedException;
import io.spotnest.hosts.Pool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The static-host provider against a real sshd in a network namespace. */
@Tag("lab")
class SshHostProviderTest {
  private static final Pool POOL = new Pool("static-4c", "rack1");

  @TempDir Path dir;
  private SshLab lab;
  private StaticSshHostProvider provider;

  @BeforeEach
  void start() throws Exception {
    SshLab.requirePrerequisites();
    lab = SshLab.start(dir);
    Path empty = dir.resolve("nothing_known");
    Files.writeString(empty, "");
    provider =
        new StaticSshHostProvider(
            List.of(
                new SshHostConfig(
                    "rack1-a",
                    POOL,
                    SshLab.HOST_ADDRESS,
                    22,
                    "root",
                    lab.clientKey(),
                    lab.knownHosts(),
                    LibvirtEndpoint.tcp("127.0.0.1", SshLab.LOOPBACK_PORT),
                    null,
                    null),
                new SshHostConfig(
                    "rack1-b",
                    POOL,
                    SshLab.HOST_ADDRESS,
                    22,
                    "root",
                    lab.clientKey(),
                    empty,
                    LibvirtEndpoint.tcp("127.0.0.1", SshLab.LOOPBACK_PORT),
                    null,
                    null)),
            Clock.systemUTC(),
            Duration.ofSeconds(10),
            Duration.ofMillis(300),
            new ReconnectPolicy(
                Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(1)),
            dir);
    lab.requireRoute();
  }

  @AfterEach
  void stop() throws Exception {
    if (provider != null) {
      provider.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void attachListAndDetach() throws Exception {
    Host host = provider.launch(new HostRequest(POOL, Market.ON_DEMAND));
    assertEquals("rack1-a", host.id());
    assertEquals(HostState.RUNNING, host.state());
    assertEquals(Market.ON_DEMAND, host.market());
    assertTrue(
        host.libvirtUri().toString().matches("qemu\\+unix:///system\\?socket=/.+/libvirt-sock"),
        host.libvirtUri().toString());
    Path socket = socketOf(host);
    assertTrue(bannerThrough(socket).contains(SshDaemon.BANNER_TAG));
    assertEquals(List.of(host), provider.list());

    HostLaunchException none =
        assertThrows(
            HostLaunchException.class,
            () -> provider.launch(new HostRequest(POOL, Market.ON_DEMAND)));
    assertTrue(
        none.getMessage().contains("ssh host 'rack1-b' (10.231.77.2:22): its host key is not in"),
        none.getMessage());
    assertThrows(
        HostLaunchException.class, () -> provider.launch(new HostRequest(POOL, Market.SPOT)));

    provider.terminate("rack1-a");
    assertEquals(List.of(), provider.list());
    assertFalse(Files.exists(socket), "the forward's socket is gone");
    assertThrows(NotOwnedException.class, () -> provider.terminate("rack1-a"));
    assertThrows(NotOwnedException.class, () -> provider.terminate("elsewhere"));
  }

  @Test
  void aLostSessionBecomesOneHostGoneEvent() throws Exception {
    Host host = provider.launch(new HostRequest(POOL, Market.ON_DEMAND));
    List<HostEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (AutoCloseable sub = provider.subscribe(events::add)) {
      lab.killAllInNamespace(); // the machine "dies": sshd and its session process are gone
      for (int i = 0; i < 100 && events.isEmpty(); i++) {
        Thread.sleep(100);
      }
      Thread.sleep(1_000); // several more checks: still one event
    }
    assertEquals(1, events.size(), events.toString());
    HostEvent.HostGone gone = (HostEvent.HostGone) events.get(0);
    assertEquals(host.id(), gone.hostId());
    assertEquals(HostState.TERMINATED, provider.list().get(0).state());
  }

  @Test
  void aDroppedSessionIsReestablishedAndTheHostStaysAttached() throws Exception {
    Host host = provider.launch(new HostRequest(POOL, Market.ON_DEMAND));
    Path socket = socketOf(host);
    List<HostEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (AutoCloseable sub = provider.subscribe(events::add)) {
      lab.killSessions(); // the connection is cut; the machine and its sshd are fine
      String banner = null;
      for (int i = 0; i < 100 && banner == null; i++) {
        Thread.sleep(100);
        try {
          banner = bannerThrough(socket);
        } catch (IOException notYet) {
          // the session is being re-established
        }
      }
      assertTrue(
          banner != null && banner.contains(SshDaemon.BANNER_TAG),
          "the same socket forwards again: " + banner);
      Thread.sleep(1_500); // past the give-up limit of the policy: still no event
    }
    assertEquals(List.of(), events);
    assertEquals(List.of(host), provider.list(), "still attached, RUNNING, same URI");
  }

  private static Path socketOf(Host host) {
    String query = host.libvirtUri().getQuery();
    assertTrue(query.startsWith("socket="), query);
    return Path.of(query.substring("socket=".length()));
  }

  /**
   * First line the forwarded service (the namespace's sshd on its loopback) sends, or null at EOF.
   */
  private static String bannerThrough(Path socket) throws IOException {
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(Channels.newInputStream(c), StandardCharsets.US_ASCII))) {
      return in.readLine();
    }
  }
}
