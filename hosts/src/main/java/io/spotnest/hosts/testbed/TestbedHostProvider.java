package io.spotnest.hosts.testbed;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostCapacity;
import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.HostEventSink;
import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.HostProvider;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.HostState;
import io.spotnest.hosts.LaunchFailure;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.NotOwnedException;
import io.spotnest.hosts.Pool;
import io.spotnest.hosts.events.EventIntake;
import io.spotnest.hosts.events.IntakeObserver;
import io.spotnest.hosts.events.SeenEvents;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedHost;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hosts from a running local {@link Testbed}, with a simulated spot market: a test or demo can send
 * a rebalance recommendation or an interruption notice for a host, or reclaim it (its libvirtd is
 * killed), and subscribers get the same events, through the same intake, as from EC2.
 */
public final class TestbedHostProvider implements HostProvider {
  private record Lease(TestbedHost host, Market market, Instant since, String key) {}

  private final Testbed testbed;
  private final Pool pool;
  private final Clock clock;
  private final Map<Market, BigDecimal> prices;
  private final Map<String, Lease> leased = new LinkedHashMap<>();
  private final Map<String, HostState> states = new LinkedHashMap<>();
  private final List<EventIntake> subscribers = new CopyOnWriteArrayList<>();

  public TestbedHostProvider(Testbed testbed, Clock clock) {
    this(testbed, clock, Map.of());
  }

  /** With a simulated price per hour per market (hosts of a market without one have no price). */
  public TestbedHostProvider(Testbed testbed, Clock clock, Map<Market, BigDecimal> pricePerHour) {
    this.testbed = Objects.requireNonNull(testbed, "testbed");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.prices = Map.copyOf(pricePerHour);
    this.pool = new Pool("testbed", "lab" + testbed.names().index());
  }

  /** The one pool: every testbed host has the same size and "zone". */
  public Pool pool() {
    return pool;
  }

  /**
   * Leases a free testbed host. A request whose key holds a lease already gets that lease's host
   * again.
   */
  @Override
  public synchronized Host launch(HostRequest request) {
    if (!request.pool().equals(pool)) {
      throw new HostLaunchException(
          LaunchFailure.UNSUPPORTED,
          "the testbed has only pool " + pool + ", not " + request.pool());
    }
    for (Lease l : leased.values()) {
      if (l.key().equals(request.key())) {
        return toHost(l.host().name());
      }
    }
    for (TestbedHost h : testbed.hosts()) {
      if (!leased.containsKey(h.name())) {
        leased.put(h.name(), new Lease(h, request.market(), clock.instant(), request.key()));
        states.put(h.name(), HostState.RUNNING);
        return toHost(h.name());
      }
    }
    throw new HostLaunchException(
        LaunchFailure.NO_CAPACITY, "all " + testbed.hosts().size() + " testbed hosts are in use");
  }

  @Override
  public synchronized List<Host> list() {
    return leased.keySet().stream().map(this::toHost).toList();
  }

  @Override
  public synchronized void terminate(String hostId) {
    if (leased.remove(hostId) == null) {
      throw new NotOwnedException(String.valueOf(hostId), "not a leased testbed host");
    }
    states.remove(hostId);
  }

  @Override
  public AutoCloseable subscribe(HostEventSink sink) {
    EventIntake intake =
        new EventIntake(sink, this::isLeased, SeenEvents.standard(clock), IntakeObserver.logging());
    subscribers.add(intake);
    return () -> subscribers.remove(intake);
  }

  /** Simulates EC2's rebalance recommendation for a leased host. */
  public void recommendRebalance(String hostId) {
    requireLeased(hostId);
    publish(new HostEvent.RebalanceRecommendation(eventId(), hostId, clock.instant()));
  }

  /** Simulates the spot interruption notice: the host will be reclaimed {@code notice} from now. */
  public void interrupt(String hostId, Duration notice) {
    if (notice.isNegative()) {
      throw new IllegalArgumentException("notice must not be negative, got " + notice);
    }
    Lease lease = requireLeased(hostId);
    if (lease.market() != Market.SPOT) {
      throw new IllegalStateException(
          "host " + hostId + " is on-demand: only spot hosts are interrupted");
    }
    publish(
        new HostEvent.InterruptionNotice(
            eventId(), hostId, clock.instant().plus(notice), "terminate"));
  }

  /**
   * Reclaims a host now: kills its libvirtd (guests die with their host's daemon gone) and reports
   * it gone.
   */
  public void reclaim(String hostId) {
    Lease lease = requireLeased(hostId);
    testbed.killDaemon(lease.host());
    synchronized (this) {
      states.put(hostId, HostState.TERMINATED);
    }
    publish(
        new HostEvent.HostGone(
            eventId(), hostId, clock.instant(), "reclaimed by the simulated spot market"));
  }

  private void publish(HostEvent event) {
    subscribers.forEach(s -> s.offer("testbed", event));
  }

  private synchronized Lease requireLeased(String hostId) {
    Lease lease = leased.get(hostId);
    if (lease == null) {
      throw new NotOwnedException(String.valueOf(hostId), "not a leased testbed host");
    }
    return lease;
  }

  private synchronized boolean isLeased(String hostId) {
    return leased.containsKey(hostId);
  }

  private Host toHost(String name) {
    Lease l = leased.get(name);
    return new Host(
        name,
        pool,
        l.market(),
        states.get(name),
        URI.create(l.host().clientUri()),
        URI.create(l.host().peerUri()),
        Optional.empty(), // the lab writes its overlay's flood entries itself (RoutedNetwork)
        capacity(l.host()),
        pool.zone(),
        Optional.ofNullable(prices.get(l.market())),
        l.since(),
        Optional.of(l.key()));
  }

  /**
   * The host's memory; the machine's CPUs (shared by every testbed host); free space where its
   * images live.
   */
  private static HostCapacity capacity(TestbedHost h) {
    long diskGib;
    try {
      diskGib =
          Files.getFileStore(Files.exists(h.imagesDir()) ? h.imagesDir() : h.dir()).getUsableSpace()
              >> 30;
    } catch (IOException e) {
      diskGib = 0;
    }
    return new HostCapacity(Runtime.getRuntime().availableProcessors(), h.memoryMib(), diskGib);
  }

  private static String eventId() {
    return "testbed-" + UUID.randomUUID();
  }
}
