package io.spotnest.hosts.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.LaunchFailure;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A static host that cannot be attached says why: spot is not offered here, every machine of the
 * pool is taken, or a machine could not be connected to. The machines are in-process SSH servers on
 * 127.0.0.1.
 */
class StaticLaunchFailureTest {
  private static final Pool POOL = new Pool("static-4c", "rack1");

  @TempDir Path dir;
  private final OpenResources open = new OpenResources();

  @AfterEach
  void closeAll() throws Exception {
    open.close();
  }

  private StaticSshHostProvider provider(List<SshHostConfig> hosts) {
    return open.remember(
        new StaticSshHostProvider(
            hosts,
            Clock.systemUTC(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            new ReconnectPolicy(
                Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(5)),
            dir));
  }

  @Test
  void spotIsUnsupportedAndAPoolWhoseMachinesAreTakenHasNoCapacity() throws Exception {
    LocalSshServer a = open.remember(LocalSshServer.start(dir.resolve("a")));
    StaticSshHostProvider p = provider(List.of(a.host("rack1-a", POOL, "root", "10.9.0.1")));

    assertEquals(LaunchFailure.UNSUPPORTED, failureOf(p, POOL, Market.SPOT));
    p.launch(new HostRequest(POOL, Market.ON_DEMAND));
    assertEquals(LaunchFailure.NO_CAPACITY, failureOf(p, POOL, Market.ON_DEMAND));
    assertEquals(
        LaunchFailure.NO_CAPACITY,
        failureOf(p, new Pool("static-8c", "rack2"), Market.ON_DEMAND),
        "a pool with no machine at all");
  }

  @Test
  void aMachineThatCannotBeConnectedToIsOther() throws Exception {
    LocalSshServer x = open.remember(LocalSshServer.start(dir.resolve("x")));
    Path noKeys = Files.writeString(dir.resolve("empty_known_hosts"), "");
    StaticSshHostProvider p =
        provider(List.of(x.host("rack1-x", POOL, "root", "10.9.0.9", noKeys)));

    assertEquals(LaunchFailure.OTHER, failureOf(p, POOL, Market.ON_DEMAND));
  }

  @Test
  void anAttachStillLoggingInWhenTheProviderClosesIsUndoneAndLeavesNothingRunning()
      throws Exception {
    LocalSshServer a = open.remember(LocalSshServer.start(dir.resolve("a")));
    StaticSshHostProvider p = provider(List.of(a.host("rack1-a", POOL, "root", "10.9.0.1")));
    LocalSshServer.LoginGate slow = a.holdLogins();
    CompletableFuture<Host> attach = p.start(new HostRequest(POOL, Market.ON_DEMAND)).result();
    slow.awaitLogin(Duration.ofSeconds(10)); // the attach is in its SSH handshake
    p.close(); // e.g. the fleet is rebuilt after a settings change
    slow.open();

    ExecutionException e =
        assertThrows(ExecutionException.class, () -> attach.get(30, TimeUnit.SECONDS));
    assertEquals(LaunchFailure.OTHER, HostLaunchException.failureOf(e), e.toString());
    assertEquals(List.of(), p.list(), "a closed provider has nothing attached");
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(
          List.of(),
          left.filter(f -> f.getFileName().toString().startsWith("spotnest-ssh-")).toList(),
          "no local libvirt socket (nor its SSH session) outlives the provider");
    }
  }

  private static LaunchFailure failureOf(StaticSshHostProvider p, Pool pool, Market market) {
    return assertThrows(HostLaunchException.class, () -> p.launch(new HostRequest(pool, market)))
        .failure();
  }
}
