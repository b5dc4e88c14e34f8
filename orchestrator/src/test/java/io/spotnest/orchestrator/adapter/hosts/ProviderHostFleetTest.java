package io.spotnest.orchestrator.adapter.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostCapacity;
import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.HostEventSink;
import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.HostProvider;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.HostState;
import io.spotnest.hosts.LaunchFailure;
import io.spotnest.hosts.NotOwnedException;
import io.spotnest.hosts.Pool;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.FailedLaunch;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.port.LaunchFailureCause;
import io.spotnest.orchestrator.port.ObservedHost;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProviderHostFleetTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final PoolKey SPOT = new PoolKey("r5.16xlarge", "use1-az4");
  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

  /** A provider that leases made-up hosts; {@code gate} holds launches until released. */
  private static final class FakeProvider implements HostProvider {
    final Map<String, Host> hosts = new ConcurrentHashMap<>();
    final Map<String, String> byKey = new ConcurrentHashMap<>();
    final AtomicInteger launches = new AtomicInteger();
    final CountDownLatch gate = new CountDownLatch(1);
    volatile HostEventSink sink;
    volatile String noCapacity;
    volatile LaunchFailure failure = LaunchFailure.NO_CAPACITY;
    volatile String fixedId;

    @Override
    public Host launch(HostRequest r) {
      launches.incrementAndGet();
      if (noCapacity != null) {
        throw new HostLaunchException(failure, noCapacity);
      }
      String id = fixedId != null ? fixedId : "h" + launches.get();
      Host h =
          new Host(
              id,
              r.pool(),
              r.market(),
              HostState.RUNNING,
              URI.create("qemu+tls://10.0.0.1/system"),
              URI.create("qemu+tls://10.0.0.1/system"),
              Optional.of("10.0.0.1"),
              new HostCapacity(4, 8192, 10),
              "use1-az4",
              Optional.empty(),
              T0);
      hosts.put(id, h);
      byKey.put(r.key(), id);
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return h;
    }

    @Override
    public List<Host> list() {
      return new ArrayList<>(hosts.values());
    }

    @Override
    public void terminate(String hostId) {
      if (hosts.remove(hostId) == null) {
        throw new NotOwnedException(hostId, "not ours");
      }
    }

    @Override
    public AutoCloseable subscribe(HostEventSink s) {
      sink = s;
      return () -> sink = null;
    }
  }

  private final FakeProvider provider = new FakeProvider();
  private final ProviderHostFleet fleet =
      new ProviderHostFleet(
          provider, PoolMapping.byZoneId(), "test", clock, Duration.ofSeconds(10));

  private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!c.getAsBoolean()) {
      assertTrue(System.nanoTime() < until, "condition not met within 10 s");
      Thread.sleep(5);
    }
  }

  @Test
  void aLaunchKeyStartsOneLaunchAndTheHostIsListedWithItsKeyOnlyOnceItIsKnown() throws Exception {
    HostOrder order = new HostOrder(SPOT, Market.SPOT, 8192);
    fleet.launch("launch-1", order);
    fleet.launch("launch-1", order);
    await(() -> provider.hosts.size() == 1);

    assertEquals(
        List.of(),
        fleet.list(),
        "a host whose launch has not returned is not reported (never an orphan)");
    provider.gate.countDown();
    await(() -> !fleet.list().isEmpty());

    ObservedHost o = fleet.list().get(0);
    assertEquals(1, provider.launches.get(), "the same key never launches twice");
    assertEquals("launch-1", o.launchKey());
    assertEquals(SPOT, o.pool());
    assertEquals(Market.SPOT, o.market());
    assertEquals(8192, o.capacityMiB());
    assertTrue(o.running());
    assertEquals(new Pool("r5.16xlarge", "use1-az4"), provider.hosts.get(o.id()).pool());
  }

  @Test
  void aLaunchThatFailedIsReportedWithItsKeyAndReason() throws Exception {
    provider.noCapacity = "InsufficientInstanceCapacity in use1-az4";
    fleet.launch("launch-1", new HostOrder(SPOT, Market.SPOT, 8192));
    await(() -> !fleet.failedLaunches().isEmpty());

    assertEquals(
        List.of(
            new FailedLaunch(
                "launch-1",
                "InsufficientInstanceCapacity in use1-az4",
                LaunchFailureCause.NO_CAPACITY)),
        fleet.failedLaunches());
    assertEquals(List.of(), fleet.list());
  }

  @Test
  void eachClassOfTheProvidersFailureArrivesAsItsCause() throws Exception {
    Map<LaunchFailure, LaunchFailureCause> expected =
        Map.of(
            LaunchFailure.NO_CAPACITY, LaunchFailureCause.NO_CAPACITY,
            LaunchFailure.UNSUPPORTED, LaunchFailureCause.UNSUPPORTED,
            LaunchFailure.QUOTA, LaunchFailureCause.QUOTA,
            LaunchFailure.OTHER, LaunchFailureCause.OTHER);
    assertEquals(LaunchFailure.values().length, expected.size(), "every class is mapped");
    provider.noCapacity = "failed";
    for (LaunchFailure f : LaunchFailure.values()) {
      provider.failure = f;
      String key = "launch-" + f;
      fleet.launch(key, new HostOrder(SPOT, Market.SPOT, 8192));
      await(() -> fleet.failedLaunches().stream().anyMatch(x -> x.launchKey().equals(key)));
      FailedLaunch failed =
          fleet.failedLaunches().stream()
              .filter(x -> x.launchKey().equals(key))
              .findFirst()
              .orElseThrow();
      assertEquals(expected.get(f), failed.cause(), f.toString());
    }
  }

  @Test
  void aHostIdLeasedAgainIsListedUnderItsNewestLaunchKey() throws Exception {
    provider.fixedId = "hosta"; // the testbed leases the same machine again after a reclamation
    provider.gate.countDown();
    HostOrder order = new HostOrder(SPOT, Market.SPOT, 8192);
    List<String> keys = List.of("first", "second", "third"); // whatever order a hash map keeps
    for (String key : keys) {
      if (!key.equals("first")) {
        fleet.terminate("hosta");
      }
      fleet.launch(key, order);
      await(() -> fleet.list().stream().anyMatch(o -> o.launchKey().equals(key)));
      assertEquals(List.of(key), fleet.list().stream().map(ObservedHost::launchKey).toList());
    }
  }

  @Test
  void aHostOffersAgentsWhatWasOrderedAtMostNotTheWholeMachine() throws Exception {
    provider.gate.countDown();
    fleet.launch("launch-1", new HostOrder(SPOT, Market.SPOT, 384));
    await(() -> !fleet.list().isEmpty());

    assertEquals(
        384,
        fleet.list().get(0).capacityMiB(),
        "the machine has 8192 MiB; 384 were ordered for agents");
  }

  @Test
  void aHostNotLaunchedHereIsListedUnderAnUnknownKeySoTheOrchestratorSeesItAsAnOrphan() {
    provider.gate.countDown();
    provider.launch(
        new HostRequest(
            "elsewhere", new Pool("m5.large", "use1-az1"), io.spotnest.hosts.Market.ON_DEMAND));

    ObservedHost o = fleet.list().get(0);

    assertEquals("unknown:h1", o.launchKey());
    assertEquals(new PoolKey("m5.large", "use1-az4"), o.pool(), "keyed by the host's zone id");
    assertEquals(Market.ON_DEMAND, o.market());
  }

  @Test
  void aHostListedBeforeStaysListedWhileALaunchIsPending() throws Exception {
    Host earlier = // launched by the controller before a restart: this adapter has no key for it
        new Host(
            "h0",
            new Pool("r5.16xlarge", "use1-az4"),
            io.spotnest.hosts.Market.SPOT,
            HostState.RUNNING,
            URI.create("qemu+tls://10.0.0.9/system"),
            URI.create("qemu+tls://10.0.0.9/system"),
            Optional.of("10.0.0.9"),
            new HostCapacity(4, 8192, 10),
            "use1-az4",
            Optional.empty(),
            T0);
    provider.hosts.put("h0", earlier);
    assertEquals(List.of("h0"), fleet.list().stream().map(ObservedHost::id).toList());

    fleet.launch("launch-1", new HostOrder(SPOT, Market.SPOT, 8192)); // held at the gate
    await(() -> provider.hosts.size() == 2);

    assertEquals(
        List.of("h0"),
        fleet.list().stream().map(ObservedHost::id).toList(),
        "the earlier host is still listed (else the orchestrator loses its agents); the pending"
            + " launch's host is not (never an orphan)");
    provider.gate.countDown();
  }

  @Test
  void aHostAskedForBeforeARestartIsListedUnderTheLaunchKeyItCarries() throws Exception {
    Host earlier = // the crashed controller's launch, answered after it died: this adapter never
        new Host( // started it, the host carries its key (an EC2 tag)
            "h0",
            new Pool("r5.16xlarge", "use1-az4"),
            io.spotnest.hosts.Market.SPOT,
            HostState.RUNNING,
            URI.create("qemu+tls://10.0.0.9/system"),
            URI.create("qemu+tls://10.0.0.9/system"),
            Optional.of("10.0.0.9"),
            new HostCapacity(4, 8192, 10),
            "use1-az4",
            Optional.empty(),
            T0,
            Optional.of("launch-0"));
    provider.hosts.put("h0", earlier);
    fleet.launch("launch-1", new HostOrder(SPOT, Market.SPOT, 8192)); // held at the gate
    await(() -> provider.hosts.size() == 2);

    assertEquals(
        List.of("h0 launch-0"),
        fleet.list().stream().map(o -> o.id() + " " + o.launchKey()).toList(),
        "listed under its journaled launch's key (that launch adopts it), not as an orphan, even"
            + " while a launch of this run is pending");
    provider.gate.countDown();
  }

  @Test
  void aListedHostCarriesTheUnderlayAddressItsProviderReports() throws Exception {
    provider.gate.countDown();
    fleet.launch("launch-1", new HostOrder(SPOT, Market.SPOT, 8192));
    await(() -> !fleet.list().isEmpty());
    Host without =
        new Host(
            "h8",
            new Pool("m5.large", "use1-az1"),
            io.spotnest.hosts.Market.ON_DEMAND,
            HostState.PENDING,
            URI.create("qemu+ssh://root@rack1-a/system"),
            URI.create("qemu+ssh://root@rack1-a/system"),
            Optional.empty(),
            HostCapacity.UNKNOWN,
            "rack1",
            Optional.empty(),
            T0);
    provider.hosts.put("h8", without);

    Map<String, Optional<String>> addresses = new java.util.TreeMap<>();
    fleet.list().forEach(o -> addresses.put(o.id(), o.underlayAddress()));

    assertEquals(
        Map.of("h1", Optional.of("10.0.0.1"), "h8", Optional.empty()),
        Map.of("h1", addresses.get("h1"), "h8", addresses.get("h8")),
        "the provider's Host.underlayAddress, or none: " + addresses);
  }

  @Test
  void terminatingAHostAlreadyGoneIsANoOp() {
    fleet.terminate("nope");
    assertTrue(provider.hosts.isEmpty());
  }

  @Test
  void aDeliveryReturnsOnlyAfterTheOrchestratorAcknowledgedTheEvent() throws Exception {
    Instant deadline = T0.plusSeconds(120);
    CountDownLatch delivered = new CountDownLatch(1);
    Thread source =
        new Thread(
            () -> {
              provider.sink.accept(
                  new HostEvent.InterruptionNotice("ev-1", "h1", deadline, "terminate"));
              delivered.countDown();
            });
    source.start();
    await(() -> !fleet.poll().isEmpty());

    FleetEvent e = fleet.poll().get(0);
    FleetEvent.Notice n = assertInstanceOf(FleetEvent.Notice.class, e);
    assertEquals("h1", n.hostId());
    assertEquals(deadline, n.deadline());
    assertEquals("test", n.source());
    assertFalse(
        delivered.await(200, TimeUnit.MILLISECONDS),
        "the source must not forget it before the ack");
    assertEquals(1, fleet.poll().size(), "polled again until acknowledged");

    fleet.acknowledge(e);

    assertTrue(delivered.await(5, TimeUnit.SECONDS));
    assertEquals(List.of(), fleet.poll());
  }

  @Test
  void anUnacknowledgedDeliveryTimesOutAsRetryAndStaysPending() {
    ProviderHostFleet quick =
        new ProviderHostFleet(
            provider, PoolMapping.byZoneId(), "test", clock, Duration.ofMillis(50));
    try {
      provider.sink.accept(new HostEvent.RebalanceRecommendation("ev-2", "h1", T0));
    } catch (io.spotnest.hosts.SinkUnavailableException expected) {
      assertEquals(1, quick.poll().size());
      assertInstanceOf(FleetEvent.Rebalance.class, quick.poll().get(0));
      return;
    }
    throw new AssertionError("expected a retry");
  }
}
