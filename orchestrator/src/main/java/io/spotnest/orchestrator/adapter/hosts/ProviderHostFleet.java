package io.spotnest.orchestrator.adapter.hosts;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.HostLaunch;
import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.HostProvider;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.HostState;
import io.spotnest.hosts.NotOwnedException;
import io.spotnest.hosts.SinkUnavailableException;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.FailedLaunch;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.HostFleet;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.port.LaunchFailureCause;
import io.spotnest.orchestrator.port.ObservedHost;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The {@link HostFleet} port over a {@code hosts} {@link HostProvider}: a launch is the provider's
 * asynchronous {@link HostProvider#start} under the caller's key (the same key never starts a
 * second launch here, and the provider itself is idempotent by key); the listing carries each
 * host's launch key (from this run's launches, else as the provider reads it from the host, {@link
 * Host#launchKey()}: a host asked for before a restart is then its journaled launch's, not an
 * orphan), and leaves out a host of no known key while a launch's result is awaited (it may be that
 * launch's: never an orphan) unless the last listing reported it (a host launched before a restart
 * stays listed, else the orchestrator would count it lost); events come from the provider's
 * subscription, and the provider's delivery returns only once the orchestrator acknowledged the
 * event (its effect journaled) or {@code ackTimeout} passed (then the source keeps it and delivers
 * it again; here it stays pending).
 */
public final class ProviderHostFleet implements HostFleet, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ProviderHostFleet.class.getName());
  private static final String UNKNOWN_KEY_PREFIX = "unknown:";

  private record Launched(String key, HostOrder order, HostLaunch launch) {}

  private final HostProvider provider;
  private final PoolMapping pools;
  private final String source;
  private final Clock clock;
  private final Duration ackTimeout;
  private final Map<String, Launched> launches = new LinkedHashMap<>(); // in launch order
  private final Map<String, FleetEvent> pending = new LinkedHashMap<>();
  private final Set<String> listedBefore = new HashSet<>(); // ids the last listing reported
  private final AutoCloseable subscription;

  /**
   * @param source the events' source name in the orchestrator's log (e.g. {@code testbed}, {@code
   *     ec2})
   * @param ackTimeout how long a delivery waits for the orchestrator's acknowledgement
   */
  public ProviderHostFleet(
      HostProvider provider, PoolMapping pools, String source, Clock clock, Duration ackTimeout) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.pools = Objects.requireNonNull(pools, "pools");
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ackTimeout = Objects.requireNonNull(ackTimeout, "ackTimeout");
    this.subscription = provider.subscribe(this::deliver);
  }

  @Override
  public void launch(String launchKey, HostOrder order) {
    HostLaunch l;
    synchronized (this) {
      if (launches.containsKey(launchKey)) {
        return;
      }
      // start() returns at once; holding the lock keeps list() from seeing the host before its key
      l = provider.start(new HostRequest(launchKey, pools.poolFor(order), toHosts(order.market())));
      launches.put(launchKey, new Launched(launchKey, order, l));
    }
    l.result()
        .whenComplete(
            (host, failure) -> {
              if (failure != null) {
                LOG.log(Level.WARNING, "launch " + launchKey + " failed: " + failure);
              }
            });
  }

  @Override
  public synchronized List<FailedLaunch> failedLaunches() {
    List<FailedLaunch> out = new ArrayList<>();
    for (Launched x : launches.values()) {
      CompletableFuture<Host> r = x.launch().result();
      if (r.isCompletedExceptionally() && !r.isCancelled()) {
        out.add(new FailedLaunch(x.key(), reason(r), cause(r)));
      }
    }
    return out;
  }

  private static String reason(CompletableFuture<Host> failed) {
    try {
      failed.join();
      return "failed";
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
  }

  /** The provider's class of the failure, as the port names it. */
  private static LaunchFailureCause cause(CompletableFuture<Host> failed) {
    try {
      failed.join();
      return LaunchFailureCause.OTHER;
    } catch (CompletionException | CancellationException e) {
      return switch (HostLaunchException.failureOf(e)) {
        case NO_CAPACITY -> LaunchFailureCause.NO_CAPACITY;
        case UNSUPPORTED -> LaunchFailureCause.UNSUPPORTED;
        case QUOTA -> LaunchFailureCause.QUOTA;
        case OTHER -> LaunchFailureCause.OTHER;
      };
    }
  }

  /**
   * The key of the newest finished launch that produced {@code hostId}, if any (read from the
   * launches themselves).
   */
  private String keyOf(String hostId) {
    String newest = null; // a provider may lease the same host id again: the latest launch owns it
    for (Launched x : launches.values()) {
      Host h =
          x.launch().result().isCompletedExceptionally() ? null : x.launch().result().getNow(null);
      if (h != null && h.id().equals(hostId)) {
        newest = x.key();
      }
    }
    return newest;
  }

  @Override
  public List<ObservedHost> list() {
    List<ObservedHost> out = new ArrayList<>();
    for (Host h : provider.list()) {
      if (!h.state().isLive()) {
        continue;
      }
      Launched l;
      String key;
      boolean launching;
      boolean listed;
      synchronized (this) {
        // a launch of this run, else the key the host itself carries (one asked for before a
        // restart: the journal's pending launch takes it, not an orphan sweep)
        key = Optional.ofNullable(keyOf(h.id())).or(h::launchKey).orElse(null);
        l = key == null ? null : launches.get(key);
        launching = launches.values().stream().anyMatch(x -> !x.launch().result().isDone());
        listed = listedBefore.contains(h.id());
      }
      if (key == null && launching && !listed) {
        // may be a launch whose result has not arrived yet: never report it as an orphan; a host
        // listed before (one launched before a restart, say) is none, and is never hidden
        continue;
      }
      PoolKey pool = l != null ? l.order().pool() : pools.keyOf(h);
      long capacity = capacityForAgents(h, l);
      out.add(
          new ObservedHost(
              h.id(),
              key != null ? key : UNKNOWN_KEY_PREFIX + h.id(),
              pool,
              toOrchestrator(h.market()),
              capacity,
              h.state() == HostState.RUNNING,
              h.underlayAddress()));
    }
    synchronized (this) {
      listedBefore.clear();
      out.forEach(o -> listedBefore.add(o.id()));
    }
    return out;
  }

  /** What was ordered for agents, bounded by what the machine has (when the provider knows it). */
  private static long capacityForAgents(Host h, Launched l) {
    long machine = h.capacity().memoryMib();
    if (l == null) {
      return machine;
    }
    return machine > 0 ? Math.min(machine, l.order().capacityMiB()) : l.order().capacityMiB();
  }

  /** The provider's view of one host of ours (its libvirt URIs, for the mover and the VMs). */
  public Optional<Host> host(String hostId) {
    return provider.list().stream().filter(h -> h.id().equals(hostId)).findFirst();
  }

  @Override
  public void terminate(String hostId) {
    try {
      provider.terminate(hostId);
    } catch (NotOwnedException e) {
      LOG.log(Level.DEBUG, "terminate " + hostId + ": already gone");
    }
  }

  @Override
  public synchronized List<FleetEvent> poll() {
    return List.copyOf(pending.values());
  }

  @Override
  public synchronized void acknowledge(FleetEvent event) {
    if (pending.remove(event.eventId()) != null) {
      notifyAll();
    }
  }

  /**
   * The provider's delivery: pending until acknowledged; returns only then (or gives up after the
   * timeout).
   */
  private void deliver(HostEvent e) {
    FleetEvent fe = toFleetEvent(e);
    synchronized (this) {
      pending.putIfAbsent(fe.eventId(), fe);
      long until = System.nanoTime() + ackTimeout.toNanos();
      while (pending.containsKey(fe.eventId())) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          throw new SinkUnavailableException(
              "event " + fe.eventId() + " not acknowledged within " + ackTimeout);
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new SinkUnavailableException("interrupted while waiting for event " + fe.eventId());
        }
      }
    }
  }

  private FleetEvent toFleetEvent(HostEvent e) {
    Instant now = clock.instant();
    if (e instanceof HostEvent.InterruptionNotice n) {
      return new FleetEvent.Notice(n.eventId(), n.hostId(), source, now, n.deadline());
    }
    if (e instanceof HostEvent.RebalanceRecommendation r) {
      return new FleetEvent.Rebalance(r.eventId(), r.hostId(), source, r.noticeTime());
    }
    HostEvent.HostGone g = (HostEvent.HostGone) e;
    return new FleetEvent.Gone(g.eventId(), g.hostId(), source, g.observedAt(), g.reason());
  }

  static io.spotnest.hosts.Market toHosts(Market m) {
    return m == Market.SPOT ? io.spotnest.hosts.Market.SPOT : io.spotnest.hosts.Market.ON_DEMAND;
  }

  static Market toOrchestrator(io.spotnest.hosts.Market m) {
    return m == io.spotnest.hosts.Market.SPOT ? Market.SPOT : Market.ON_DEMAND;
  }

  /**
   * Stops the subscription; launches in flight go on (their hosts show up as orphans at the next
   * start).
   */
  @Override
  public void close() {
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "closing the event subscription failed", e);
    }
  }
}
