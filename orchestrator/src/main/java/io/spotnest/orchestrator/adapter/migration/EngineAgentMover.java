package io.spotnest.orchestrator.adapter.migration;

import io.spotnest.migration.Hypervisor;
import io.spotnest.migration.HypervisorEndpoint;
import io.spotnest.migration.HypervisorFactory;
import io.spotnest.migration.MigrationEngine;
import io.spotnest.migration.MigrationException;
import io.spotnest.migration.MigrationHandle;
import io.spotnest.migration.MigrationInputs;
import io.spotnest.migration.MigrationListener;
import io.spotnest.migration.MigrationOutcome;
import io.spotnest.migration.MigrationPlanner;
import io.spotnest.migration.MigrationRecovery;
import io.spotnest.migration.MigrationRequest;
import io.spotnest.migration.MigrationSettings;
import io.spotnest.migration.VmState;
import io.spotnest.migration.VmStatus;
import io.spotnest.orchestrator.port.AgentMover;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.port.MoveStatus;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongBiFunction;

/**
 * The {@link AgentMover} port over the migration engine. The agent id is its VM's name. A move is
 * {@link MigrationEngine#start} with the order's absolute deadline; a voluntary move that cannot
 * make its deadline is refused by the engine's plan (the VM stays), a forced one is tried anyway.
 * {@link #attach} after a restart is the engine's {@link MigrationRecovery}: exactly one copy is
 * kept, or nothing is touched while libvirt still moves it. The hosts are whatever {@code
 * endpoints} lists now (hosts come and go); the engine is rebuilt when that changes, moves already
 * started keep their own.
 */
public final class EngineAgentMover implements AgentMover {
  private static final System.Logger LOG = System.getLogger(EngineAgentMover.class.getName());

  private record Running(MoveOrder order, Instant startedAt, MigrationHandle handle) {}

  private final Supplier<List<HypervisorEndpoint>> endpoints;
  private final MigrationPlanner planner;
  private final HypervisorFactory factory;
  private final Clock clock;
  private final MigrationSettings settings;
  private final ToLongBiFunction<String, String> linkBytesPerSecond;
  private final MigrationListener listener;
  private final Consumer<MoveReport> reports;
  private final Map<String, Running> moves = new HashMap<>();
  private List<HypervisorEndpoint> engineHosts = List.of();
  private MigrationEngine engine;

  /**
   * @param endpoints the hosts' libvirt endpoints right now
   * @param linkBytesPerSecond the measured (or configured) link rate between two hosts
   * @param listener gets every move's plan, progress and outcome (e.g. progress on a terminal)
   * @param reports gets each move's report once it ended
   */
  public EngineAgentMover(
      Supplier<List<HypervisorEndpoint>> endpoints,
      MigrationPlanner planner,
      HypervisorFactory factory,
      Clock clock,
      MigrationSettings settings,
      ToLongBiFunction<String, String> linkBytesPerSecond,
      MigrationListener listener,
      Consumer<MoveReport> reports) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.planner = Objects.requireNonNull(planner, "planner");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.linkBytesPerSecond = Objects.requireNonNull(linkBytesPerSecond, "linkBytesPerSecond");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.reports = Objects.requireNonNull(reports, "reports");
  }

  /**
   * The request the engine gets for an order: the VM is the agent, a voluntary move refuses an
   * infeasible plan.
   */
  MigrationRequest request(MoveOrder order) {
    return new MigrationRequest(
        order.agentId(),
        order.from(),
        order.to(),
        linkBytesPerSecond.applyAsLong(order.from(), order.to()),
        order.deadline(),
        settings,
        !order.forced());
  }

  /**
   * A lower bound from the engine's planner: set-up plus the VM's RAM over the pair's link rate
   * shared by {@code sharing} moves; the guest's dirty rate is only measured once its move runs.
   * Zero (unknown) without a destination.
   */
  @Override
  public Duration estimate(String from, String to, long ramMiB, int sharing) {
    if (to == null) {
      return Duration.ZERO;
    }
    long share = linkBytesPerSecond.applyAsLong(from, to) / Math.max(1, sharing);
    if (share <= 0) {
      return Duration.ZERO;
    }
    MigrationInputs in = new MigrationInputs(ramMiB << 20, 0, share, 0, Duration.ofDays(1));
    return planner.plan(in, settings).predictedTotal();
  }

  @Override
  public synchronized void start(MoveOrder order) {
    if (moves.containsKey(order.moveId())) {
      return;
    }
    Instant startedAt = clock.instant();
    MigrationHandle h = engine().start(request(order), listener);
    moves.put(order.moveId(), new Running(order, startedAt, h));
    h.outcome()
        .whenComplete(
            (o, failure) -> {
              if (o != null) {
                reports.accept(new MoveReport(order, startedAt, o));
              }
            });
  }

  @Override
  public MoveStatus status(String moveId) {
    Running r;
    synchronized (this) {
      r = moves.get(moveId);
    }
    if (r == null) {
      return new MoveStatus.Ended(
          Optional.empty(), "unknown move " + moveId + ": attach it after a restart");
    }
    CompletableFuture<MigrationOutcome> f = r.handle().outcome();
    if (!f.isDone()) {
      return new MoveStatus.InFlight();
    }
    try {
      return ended(f.get());
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      Optional<String> at = locate(r.order().agentId());
      return new MoveStatus.Ended(
          at,
          "refused before anything changed: "
              + cause.getMessage()
              + at.map(h -> "; runs on " + h).orElse("; found on no host"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new MoveStatus.InFlight();
    }
  }

  /**
   * The port's view of an engine outcome: where the VM runs, the detail, the wall time and, for a
   * finished move whose engine measured it, the switch-over pause (null when unknown).
   */
  static MoveStatus.Ended ended(MigrationOutcome o) {
    Duration paused = o.success() && !o.downtime().isZero() ? o.downtime() : null;
    return new MoveStatus.Ended(o.runningOn(), o.toString(), o.total(), paused);
  }

  @Override
  public MoveStatus attach(MoveOrder order) {
    synchronized (this) {
      if (moves.containsKey(order.moveId())) {
        return status(order.moveId());
      }
    }
    MigrationRecovery.Result r =
        new MigrationRecovery(endpoints.get(), factory).reconcile(order.agentId());
    if (r.migrationInFlight()) {
      return new MoveStatus.InFlight();
    }
    return new MoveStatus.Ended(r.runningOn(), "recovered: " + String.join("; ", r.actions()));
  }

  @Override
  public Optional<String> locate(String agentId) {
    Optional<String> paused = Optional.empty();
    for (HypervisorEndpoint ep : endpoints.get()) {
      try (Hypervisor hv = factory.connect(ep)) {
        VmStatus s = hv.status(agentId);
        if (s.running()) {
          return Optional.of(ep.name());
        }
        if (s.state() == VmState.PAUSED && paused.isEmpty()) {
          paused = Optional.of(ep.name());
        }
      } catch (MigrationException | IllegalStateException e) {
        LOG.log(
            Level.INFO,
            "locate " + agentId + ": host " + ep.name() + " unreachable: " + e.getMessage());
      }
    }
    return paused;
  }

  private synchronized MigrationEngine engine() {
    List<HypervisorEndpoint> now = List.copyOf(endpoints.get());
    if (engine == null || !now.equals(engineHosts)) {
      engine = new MigrationEngine(now, planner, factory, clock);
      engineHosts = now;
    }
    return engine;
  }
}
