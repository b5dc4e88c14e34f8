package io.spotnest.hosts.ssh;

import io.spotnest.hosts.DaemonThreads;
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
import io.spotnest.hosts.OverlayPeers;
import io.spotnest.hosts.events.EventIntake;
import io.spotnest.hosts.events.IntakeObserver;
import io.spotnest.hosts.events.SeenEvents;
import java.net.URI;
import java.nio.file.Path;
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
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Hosts from a fixed list of machines reached over SSH. "Launch" attaches a free machine of the
 * requested pool (an SSH session with a libvirt forward); "terminate" detaches it (the machine
 * keeps running). Static machines are never spot. A dropped session is re-established (see {@link
 * SshTunnel}); only a host that stays unreachable past the {@link ReconnectPolicy}, or presents a
 * wrong host key, is reported as {@link HostEvent.HostGone}. Given the cluster's {@link
 * OverlayPeers}, it keeps the attached hosts' VXLAN flood lists current over their sessions, and
 * those of the overlay gateways it is given over SSH sessions of their own ({@link OverlayUpkeep},
 * {@link GatewayLinks}).
 */
public final class StaticSshHostProvider implements HostProvider, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(StaticSshHostProvider.class.getName());

  private record Attached(SshTunnel tunnel, Instant since) {}

  private final Map<String, SshHostConfig> machines = new LinkedHashMap<>();
  private final Map<String, Attached> attached = new LinkedHashMap<>();
  private final Set<String> reserved = new HashSet<>();
  private final Clock clock;
  private final Duration connectTimeout;
  private final Duration keepAlive;
  private final ReconnectPolicy reconnect;
  private final Path socketParent;
  private final OverlayUpkeep overlay;
  private final GatewayLinks gateways;
  private volatile ScheduledExecutorService checks; // the subscription's timer, while there is one
  private boolean closed; // no attach completes once close() began

  /** Standard reconnect policy; local sockets under java.io.tmpdir. */
  public StaticSshHostProvider(
      List<SshHostConfig> machines, Clock clock, Duration connectTimeout, Duration keepAlive) {
    this(
        machines,
        clock,
        connectTimeout,
        keepAlive,
        ReconnectPolicy.STANDARD,
        Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * @param reconnect how dropped sessions are re-established, and when a host counts as gone
   * @param socketParent where each host's private directory with its local libvirt socket is
   *     created
   */
  public StaticSshHostProvider(
      List<SshHostConfig> machines,
      Clock clock,
      Duration connectTimeout,
      Duration keepAlive,
      ReconnectPolicy reconnect,
      Path socketParent) {
    this(machines, clock, connectTimeout, keepAlive, reconnect, socketParent, null);
  }

  /**
   * @param overlay the cluster's overlay, whose flood lists are kept current on the attached hosts;
   *     null where the hosts have no overlay (nothing is run on them)
   */
  public StaticSshHostProvider(
      List<SshHostConfig> machines,
      Clock clock,
      Duration connectTimeout,
      Duration keepAlive,
      ReconnectPolicy reconnect,
      Path socketParent,
      OverlayPeers overlay) {
    this(machines, clock, connectTimeout, keepAlive, reconnect, socketParent, overlay, List.of());
  }

  /**
   * @param overlay the cluster's overlay, whose flood lists are kept current on the attached hosts
   *     and the gateways; null where the hosts have no overlay (nothing is run on them)
   * @param gateways the overlay gateways reached over SSH ({@link StaticMachines#gateways()}), each
   *     with a VTEP ({@link SshHostConfig#underlay()}) that is one of {@code overlay}'s gateways;
   *     their sessions are opened at every check of the hosts until they are up
   */
  public StaticSshHostProvider(
      List<SshHostConfig> machines,
      Clock clock,
      Duration connectTimeout,
      Duration keepAlive,
      ReconnectPolicy reconnect,
      Path socketParent,
      OverlayPeers overlay,
      List<SshHostConfig> gateways) {
    for (SshHostConfig m : machines) {
      if (this.machines.put(m.name(), m) != null) {
        throw new IllegalArgumentException("name: host '" + m.name() + "' is listed twice");
      }
    }
    if (this.machines.isEmpty()) {
      throw new IllegalArgumentException("hosts: at least one static host is needed");
    }
    Set<String> gatewayNames = new HashSet<>();
    for (SshHostConfig g : gateways) {
      if (this.machines.containsKey(g.name()) || !gatewayNames.add(g.name())) {
        throw new IllegalArgumentException("name: '" + g.name() + "' is listed twice");
      }
      if (overlay == null) {
        throw new IllegalArgumentException(
            "overlayGateways: gateway '"
                + g.name()
                + "' is listed but the cloud has no overlay gateways");
      }
      String vtep =
          g.underlay()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "vtep: gateway '" + g.name() + "' needs vtep=<IPv4>"));
      if (!overlay.isGateway(vtep)) {
        throw new IllegalArgumentException(
            "overlayGateways: gateway '"
                + g.name()
                + "' has VTEP "
                + vtep
                + ", which is not in overlayGateways");
      }
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
    this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
    this.socketParent = Objects.requireNonNull(socketParent, "socketParent");
    this.overlay = overlay == null ? null : new OverlayUpkeep(overlay, connectTimeout);
    this.gateways = new GatewayLinks(gateways, connectTimeout, keepAlive, reconnect, socketParent);
  }

  /**
   * Attaches a free machine of the pool. The SSH handshake runs outside the lock; the machine is
   * reserved meanwhile.
   */
  @Override
  public Host launch(HostRequest request) {
    if (request.market() != Market.ON_DEMAND) {
      throw new HostLaunchException(
          LaunchFailure.UNSUPPORTED,
          "static hosts are not spot capacity: request market ON_DEMAND (got "
              + request.market()
              + ")");
    }
    List<String> failures = new ArrayList<>();
    for (SshHostConfig m : machines.values()) {
      if (!m.pool().equals(request.pool()) || !reserve(m.name())) {
        continue;
      }
      SshTunnel tunnel;
      try {
        tunnel = SshTunnel.open(m, connectTimeout, keepAlive, reconnect, socketParent);
      } catch (SshConnectException e) {
        release(m.name());
        failures.add(e.getMessage());
        continue;
      }
      Attached a = new Attached(tunnel, clock.instant());
      boolean closing;
      synchronized (this) {
        reserved.remove(m.name());
        closing = closed;
        if (!closing) {
          attached.put(m.name(), a);
        }
      }
      if (closing) { // close() detached the others and will not see this one: it is ours to end
        tunnel.close();
        throw new HostLaunchException(
            LaunchFailure.OTHER,
            "static host " + m.name() + ": the provider was closed while attaching it");
      }
      LOG.log(
          System.Logger.Level.INFO,
          "attached static host {0}, libvirt at {1}",
          m.name(),
          tunnel.libvirtUri());
      keepOverlayCurrent(
          false); // the new host and its peers flood to each other before agents start
      return toHost(m, a);
    }
    // every machine of the pool taken is no capacity; one that could not be reached is an error
    throw new HostLaunchException(
        failures.isEmpty() ? LaunchFailure.NO_CAPACITY : LaunchFailure.OTHER,
        "no free static host in pool "
            + request.pool()
            + (failures.isEmpty() ? "" : ": " + String.join("; ", failures)));
  }

  private synchronized boolean reserve(String name) {
    if (closed) {
      throw new HostLaunchException(LaunchFailure.OTHER, "the static host provider is closed");
    }
    return !attached.containsKey(name) && reserved.add(name);
  }

  private synchronized void release(String name) {
    reserved.remove(name);
  }

  @Override
  public synchronized List<Host> list() {
    return attached.entrySet().stream()
        .map(e -> toHost(machines.get(e.getKey()), e.getValue()))
        .toList();
  }

  @Override
  public synchronized void terminate(String hostId) {
    Attached a = attached.remove(hostId);
    if (a == null) {
      throw new NotOwnedException(
          String.valueOf(hostId),
          machines.containsKey(hostId)
              ? "it is not attached"
              : "it is not a configured static host");
    }
    a.tunnel().close();
    ScheduledExecutorService timer = checks;
    if (overlay != null && timer != null) {
      try {
        timer.execute(() -> keepOverlayCurrent(false)); // the others stop flooding to it
      } catch (RejectedExecutionException closing) {
        // the subscription is closing: nothing to keep current
      }
    }
  }

  private Host toHost(SshHostConfig m, Attached a) {
    HostState state =
        a.tunnel().state() == TunnelState.LOST ? HostState.TERMINATED : HostState.RUNNING;
    URI peer = m.peer();
    return new Host(
        m.name(),
        m.pool(),
        Market.ON_DEMAND,
        state,
        a.tunnel().libvirtUri(),
        peer,
        m.underlay(),
        HostCapacity.UNKNOWN,
        m.pool().zone(),
        Optional.empty(),
        a.since());
  }

  /**
   * Checks tunnels every keep-alive interval; a lost one (reconnecting gave up) becomes a HostGone
   * event. With an overlay, each check then brings the connected hosts' flood lists up to date
   * ({@link OverlayUpkeep}), as does every attach (before it returns) and detach (at once).
   */
  @Override
  public AutoCloseable subscribe(HostEventSink sink) {
    EventIntake intake =
        new EventIntake(
            sink, this::isAttached, SeenEvents.standard(clock), IntakeObserver.logging());
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("spotnest-ssh-hosts"));
    timer.scheduleWithFixedDelay(
        () -> {
          reportLost(intake);
          keepOverlayCurrent(true);
        },
        0,
        keepAlive.toMillis(),
        TimeUnit.MILLISECONDS);
    checks = timer;
    return () -> {
      checks = null;
      timer.shutdownNow();
      timer.awaitTermination(5, TimeUnit.SECONDS);
    };
  }

  private synchronized boolean isAttached(String hostId) {
    return attached.containsKey(hostId);
  }

  private void reportLost(EventIntake intake) {
    List<HostEvent> lost = new ArrayList<>();
    synchronized (this) {
      attached.forEach(
          (name, a) -> {
            if (a.tunnel().state() == TunnelState.LOST) {
              lost.add(
                  new HostEvent.HostGone(
                      "ssh-" + name + "-" + a.since().toEpochMilli(),
                      name,
                      clock.instant(),
                      "SSH session lost: " + a.tunnel().lastFailure()));
            }
          });
    }
    lost.forEach(e -> intake.offer("ssh", e));
  }

  /**
   * One overlay pass; the SSH runs happen outside the provider's lock.
   *
   * @param connectGateways first open the sessions of gateways that have none (the periodic check
   *     does; an attach or detach uses the sessions as they are, so it never waits for a gateway
   *     that is down)
   */
  private void keepOverlayCurrent(boolean connectGateways) {
    if (overlay == null) {
      return;
    }
    try {
      if (connectGateways) {
        gateways.connect(); // before the pass, which then sees the hosts attached meanwhile
      }
      overlay.sync(this::overlayView);
    } catch (RuntimeException e) { // the timer must go on: the next pass retries
      LOG.log(System.Logger.Level.WARNING, "overlay upkeep of the static hosts failed", e);
    }
  }

  /** The attached hosts' and the gateways' sessions, and the hosts, as they are now. */
  private OverlayUpkeep.View overlayView() {
    Map<String, SshTunnel> tunnels = new LinkedHashMap<>();
    List<Host> hosts;
    synchronized (this) {
      attached.forEach((name, a) -> tunnels.put(name, a.tunnel()));
      hosts = list();
    }
    return new OverlayUpkeep.View(tunnels, gateways.current(), hosts);
  }

  /**
   * Detaches every host and ends the gateways' sessions; an attach still in its handshake ends its
   * session itself and fails.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      Set<String> names = new HashSet<>(attached.keySet());
      names.forEach(this::terminate);
    }
    gateways.close();
  }
}
