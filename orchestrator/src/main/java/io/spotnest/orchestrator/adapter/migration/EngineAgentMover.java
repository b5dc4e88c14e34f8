package io.spotnest.orchestrator.adapter.migration;

import io.spotnest.migration.EngineLimits;
import io.spotnest.migration.FailureKind;
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
import io.spotnest.migration.StandbyMemory;
import io.spotnest.migration.StandingCopyHandle;
import io.spotnest.migration.StandingCopyRequest;
import io.spotnest.migration.VmState;
import io.spotnest.migration.VmStatus;
import io.spotnest.orchestrator.port.AgentMover;
import io.spotnest.orchestrator.port.CopyOrder;
import io.spotnest.orchestrator.port.CopyStatus;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.port.MoveStatus;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongBiFunction;

/**
 * The {@link AgentMover} port over the migration engine. The agent id is its VM's name. A move is
 * {@link MigrationEngine#start} with the order's absolute deadline; a voluntary move that cannot
 * make its deadline is refused by the engine's plan (the VM stays), a forced one is tried anyway.
 * {@link #attach} after a restart is the engine's {@link MigrationRecovery}: exactly one copy is
 * kept; a migration libvirt still runs is taken over by {@link MigrationEngine#attach}, which
 * enforces the order's deadline again. The hosts are whatever {@code endpoints} lists now (hosts
 * come and go); the engine is rebuilt when that changes, moves already started keep their own. A
 * standing copy is {@link MigrationEngine#keepStandingCopy}, its standby memory in RAM or in a file
 * on the backup as its order says ({@link CopyOrder#fileStandby}, journaled by the orchestrator
 * with the backup's reservation), in a file only when the mover was built to allow it ({@link
 * StandbyMemory#FILE}) and the VM's RAM is a file (else the copy is refused); its flush is followed
 * as a move.
 */
public final class EngineAgentMover implements AgentMover {
  private static final System.Logger LOG = System.getLogger(EngineAgentMover.class.getName());

  /**
   * How long before an order's deadline a job no engine watches is aborted: the engine's margin.
   */
  private static final Duration ABORT_LEAD = EngineLimits.defaults().safetyMargin();

  /**
   * A move this mover follows; {@code attached} when it is a migration libvirt was still running at
   * a restart, taken over by the engine.
   */
  private record Running(
      MoveOrder order,
      Instant startedAt,
      CompletableFuture<MigrationOutcome> outcome,
      boolean attached) {}

  /**
   * How long {@link #stopCopy} waits for a stopped stream to end (the VM is claimed until then).
   */
  private static final Duration STOP_WAIT = Duration.ofSeconds(60);

  private final Supplier<List<HypervisorEndpoint>> endpoints;
  private final MigrationPlanner planner;
  private final HypervisorFactory factory;
  private final Clock clock;
  private final MigrationSettings settings;
  private final ToLongBiFunction<String, String> linkBytesPerSecond;
  private final MigrationListener listener;
  private final Consumer<MoveReport> reports;
  private final StandbyMemory standbyMemory;
  private final Map<String, Running> moves = new HashMap<>();
  private final Map<String, StandingCopyHandle> copies = new HashMap<>();
  private List<HypervisorEndpoint> engineHosts = List.of();
  private MigrationEngine engine;

  /**
   * @param endpoints the hosts' libvirt endpoints right now
   * @param linkBytesPerSecond the measured (or configured) link rate between two hosts
   * @param listener gets every move's plan, progress and outcome (e.g. progress on a terminal)
   * @param reports gets each move's report once it ended
   * @param standbyMemory whether a standing copy's backup may hold the copy's memory in a file:
   *     {@link StandbyMemory#FILE} keeps the standby each order asks for (a file only for agent VMs
   *     that run with their RAM in a file, {@code AgentImageSpecs} of the same standby memory);
   *     {@link StandbyMemory#RAM} keeps every standby in RAM and refuses an order for a file
   */
  public EngineAgentMover(
      Supplier<List<HypervisorEndpoint>> endpoints,
      MigrationPlanner planner,
      HypervisorFactory factory,
      Clock clock,
      MigrationSettings settings,
      ToLongBiFunction<String, String> linkBytesPerSecond,
      MigrationListener listener,
      Consumer<MoveReport> reports,
      StandbyMemory standbyMemory) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.planner = Objects.requireNonNull(planner, "planner");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.linkBytesPerSecond = Objects.requireNonNull(linkBytesPerSecond, "linkBytesPerSecond");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.reports = Objects.requireNonNull(reports, "reports");
    this.standbyMemory = Objects.requireNonNull(standbyMemory, "standbyMemory");
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
    track(order, startedAt, h.outcome(), false);
  }

  private void track(
      MoveOrder order, Instant startedAt, CompletableFuture<MigrationOutcome> f, boolean attached) {
    moves.put(order.moveId(), new Running(order, startedAt, f, attached));
    f.whenComplete(
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
    CompletableFuture<MigrationOutcome> f = r.outcome();
    if (!f.isDone()) {
      return new MoveStatus.InFlight();
    }
    try {
      return ended(f.get());
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (r.attached()) {
        // the engine could not take over libvirt's job (e.g. it ended meanwhile): resolve again
        LOG.log(Level.INFO, "attached move " + moveId + " refused: " + cause.getMessage());
        synchronized (this) {
          moves.remove(moveId);
        }
        abortUnwatchedByDeadline(r.order());
        return recover(r.order());
      }
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
   * Drops the move once ended: the orchestrator journaled its end. An ended move is kept until
   * then, so an end read in a tick that could not journal it is read again, not taken for an
   * unknown move (the VM running nowhere).
   */
  @Override
  public synchronized void forget(String moveId) {
    Running r = moves.get(moveId);
    if (r != null && r.outcome().isDone()) {
      moves.remove(moveId);
    }
  }

  /** How many moves this mover keeps: in flight, or ended and not yet forgotten. */
  synchronized int followed() {
    return moves.size();
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
    return recover(order);
  }

  /**
   * The engine's recovery; a migration libvirt still runs is taken over by the engine's {@link
   * MigrationEngine#attach} (the order's deadline enforced again) and followed by {@link #status}.
   */
  private MoveStatus recover(MoveOrder order) {
    MigrationRecovery.Result r =
        new MigrationRecovery(endpoints.get(), factory).reconcile(order.agentId());
    if (!r.migrationInFlight()) {
      return new MoveStatus.Ended(r.runningOn(), "recovered: " + String.join("; ", r.actions()));
    }
    CompletableFuture<MigrationOutcome> f;
    try {
      UUID uuid =
          uuidOf(order.agentId())
              .orElseThrow(
                  () ->
                      new MigrationException(
                          FailureKind.HOST_FAILED, order.agentId() + " found on no host"));
      long link = Math.max(1, linkBytesPerSecond.applyAsLong(order.from(), order.to()));
      f = engine().attach(order.agentId(), uuid, link, order.deadline(), listener).outcome();
    } catch (MigrationException | IllegalArgumentException e) {
      f = CompletableFuture.failedFuture(e); // resolved again at the next status
    }
    synchronized (this) {
      track(order, clock.instant(), f, true);
    }
    return new MoveStatus.InFlight();
  }

  /**
   * A job libvirt runs that the engine could not take over (this controller cannot reach the
   * destination, say) has no one to enforce its deadline: once the deadline is within the engine's
   * safety margin, its pre-copy is aborted on the source, where the VM then stays. A post-copy job
   * is left alone (its source no longer holds the whole VM).
   */
  private void abortUnwatchedByDeadline(MoveOrder order) {
    if (clock.instant().isBefore(order.deadline().minus(ABORT_LEAD))) {
      return;
    }
    Optional<HypervisorEndpoint> source =
        endpoints.get().stream().filter(e -> e.name().equals(order.from())).findFirst();
    if (source.isEmpty()) {
      return;
    }
    try (Hypervisor hv = factory.connect(source.get())) {
      String vm = order.agentId();
      if (hv.jobStats(vm).active() && !hv.status(vm).postCopy()) {
        hv.abortJob(vm);
        LOG.log(
            Level.WARNING,
            "move "
                + order.moveId()
                + ": the engine could not take over the migration of "
                + vm
                + " by its deadline "
                + order.deadline()
                + "; aborted it on "
                + order.from());
      }
    } catch (MigrationException | IllegalStateException e) {
      LOG.log(Level.INFO, "abort of " + order.agentId() + " on " + order.from() + ": " + e);
    }
  }

  /** The VM's UUID, from the first host that holds a copy of it. */
  private Optional<UUID> uuidOf(String agentId) {
    for (HypervisorEndpoint ep : endpoints.get()) {
      try (Hypervisor hv = factory.connect(ep)) {
        Optional<UUID> u = hv.uuid(agentId);
        if (u.isPresent()) {
          return u;
        }
      } catch (MigrationException | IllegalStateException e) {
        LOG.log(Level.INFO, "uuid of " + agentId + ": host " + ep.name() + " unreachable: " + e);
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<String> locate(String agentId) {
    return locateAll(List.of(agentId)).get(agentId);
  }

  /**
   * One connection per host: an agent runs where its VM is running, else where it was found paused
   * first (in the hosts' order); unreachable hosts are skipped.
   */
  @Override
  public Map<String, Optional<String>> locateAll(Collection<String> agentIds) {
    Map<String, Map<String, VmStatus>> census = census(agentIds, "locate");
    Map<String, Optional<String>> where = new LinkedHashMap<>();
    for (String id : agentIds) {
      Optional<String> paused = Optional.empty();
      Optional<String> running = Optional.empty();
      for (Map.Entry<String, Map<String, VmStatus>> host : census.entrySet()) {
        VmStatus st = host.getValue().get(id);
        if (st.running()) {
          running = Optional.of(host.getKey());
          break;
        }
        if (st.state() == VmState.PAUSED && paused.isEmpty()) {
          paused = Optional.of(host.getKey());
        }
      }
      where.put(id, running.isPresent() ? running : paused);
    }
    return where;
  }

  /**
   * The status of each of {@code agentIds} on each reachable host (in the hosts' order), read with
   * one connection per host.
   */
  private Map<String, Map<String, VmStatus>> census(Collection<String> agentIds, String why) {
    Map<String, Map<String, VmStatus>> census = new LinkedHashMap<>();
    for (HypervisorEndpoint ep : endpoints.get()) {
      try (Hypervisor hv = factory.connect(ep)) {
        Map<String, VmStatus> on = new LinkedHashMap<>();
        for (String id : agentIds) {
          on.put(id, hv.status(id));
        }
        census.put(ep.name(), on);
      } catch (MigrationException | IllegalStateException e) {
        LOG.log(Level.INFO, why + ": host " + ep.name() + " unreachable: " + e.getMessage());
      }
    }
    return census;
  }

  /**
   * The engine's {@link MigrationEngine#keepStandingCopy} of {@link #copyRequestFor} (the source is
   * read, for a FILE standby, outside the mover's lock).
   */
  @Override
  public void startCopy(CopyOrder order) {
    synchronized (this) {
      if (copies.containsKey(order.copyId())) {
        return;
      }
    }
    StandingCopyRequest request = copyRequestFor(order);
    synchronized (this) {
      if (!copies.containsKey(order.copyId())) {
        copies.put(order.copyId(), engine().keepStandingCopy(request, listener));
      }
    }
  }

  /**
   * The request the engine gets for a copy order: {@link #copyRequest}, after checking that the VM
   * can have the standby ordered ({@link MigrationEngine#standbyMemoryFor}). The orchestrator
   * journaled that standby and reserved the backup's memory for it (a file-backed one counts for
   * less), so a file-backed order for a VM whose RAM is not a file on its source is refused, never
   * kept in RAM instead.
   *
   * @throws IllegalStateException when a file is ordered and the VM's RAM is not a file, or this
   *     mover keeps standbys in RAM
   * @throws io.spotnest.migration.MigrationException when a file is ordered and the source cannot
   *     describe the VM
   */
  StandingCopyRequest copyRequestFor(CopyOrder order) {
    StandingCopyRequest wanted = copyRequest(order);
    StandbyMemory can =
        engine().standbyMemoryFor(order.from(), order.agentId(), wanted.standbyMemory());
    if (can != wanted.standbyMemory()) {
      throw new IllegalStateException(
          "standing copy "
              + order.copyId()
              + " of "
              + order.agentId()
              + ": a standby in a file was ordered, but its RAM is not a file on "
              + order.from()
              + " (started in RAM); refused rather than held in RAM on "
              + order.backup()
              + ", which was not reserved for it");
    }
    return wanted;
  }

  /**
   * The request a copy order asks for with this mover's settings: the VM is the agent, the stream
   * holds a share of the pair's link, the standby's memory is the order's ({@link
   * CopyOrder#fileStandby}).
   *
   * @throws IllegalStateException when the order asks for a file and this mover keeps standbys in
   *     RAM
   */
  public StandingCopyRequest copyRequest(CopyOrder order) {
    if (order.fileStandby() && standbyMemory != StandbyMemory.FILE) {
      throw new IllegalStateException(
          "standing copy "
              + order.copyId()
              + " of "
              + order.agentId()
              + ": a standby in a file was ordered, but this mover keeps standbys in RAM");
    }
    return new StandingCopyRequest(
        order.agentId(),
        order.from(),
        order.backup(),
        linkBytesPerSecond.applyAsLong(order.from(), order.backup()),
        settings,
        order.fileStandby() ? StandbyMemory.FILE : StandbyMemory.RAM);
  }

  @Override
  public CopyStatus copyStatus(CopyOrder order) {
    StandingCopyHandle h;
    synchronized (this) {
      h = copies.get(order.copyId());
    }
    if (h == null) {
      return new CopyStatus.Ended(
          locate(order.agentId()), "unknown standing copy " + order.copyId());
    }
    CompletableFuture<MigrationOutcome> f = h.outcome();
    if (!f.isDone()) {
      return new CopyStatus.Standing();
    }
    synchronized (this) {
      copies.remove(order.copyId());
    }
    try {
      return new CopyStatus.Ended(f.get().runningOn(), f.get().toString());
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return new CopyStatus.Ended(locate(order.agentId()), "refused: " + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new CopyStatus.Standing();
    }
  }

  /**
   * Stops the stream and waits (bounded) until the engine frees the VM; without a handle (after a
   * restart) aborts any job of the VM on its source and removes what is left of it on the backup.
   */
  @Override
  public void stopCopy(CopyOrder order) {
    StandingCopyHandle h;
    synchronized (this) {
      h = copies.remove(order.copyId());
    }
    if (h != null) {
      try {
        h.stop().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        LOG.log(Level.WARNING, "standing copy " + order.copyId() + " did not stop cleanly: " + e);
      }
      return;
    }
    clearStandbys(order.agentId(), order.from());
  }

  /** The copy's flush by the move's deadline, followed by {@link #status} as the move. */
  @Override
  public synchronized void flushCopy(CopyOrder copy, MoveOrder move) {
    StandingCopyHandle h = copies.remove(copy.copyId());
    if (h == null) {
      throw new IllegalStateException("no standing copy " + copy.copyId() + " to flush");
    }
    track(move, clock.instant(), h.flush(move.deadline()), false);
  }

  /**
   * When the VM runs on {@code runningOn}: aborts any job it still has there (an old controller's
   * stream) and removes its paused or stopped domain (with its overlay) from every other host. For
   * a gone agent ({@code runningOn} null) every domain of it that is not running goes.
   */
  @Override
  public void clearStandbys(String agentId, String runningOn) {
    Map<String, Optional<String>> one = new LinkedHashMap<>();
    one.put(agentId, Optional.ofNullable(runningOn));
    clearStandbys(one);
  }

  /**
   * Reads every host once; then, for each agent that runs where the caller says (or is gone),
   * aborts any job of its VM there and removes its copies that do not run, one connection per host
   * that holds any. An agent not running where said is not touched.
   */
  @Override
  public void clearStandbys(Map<String, Optional<String>> runningOn) {
    Map<String, Map<String, VmStatus>> census = census(runningOn.keySet(), "clear standbys");
    Map<String, List<String>> aborts = new LinkedHashMap<>();
    Map<String, List<String>> removals = new LinkedHashMap<>();
    runningOn.forEach(
        (agent, on) -> {
          List<String> stray = new ArrayList<>();
          boolean home = false;
          for (Map.Entry<String, Map<String, VmStatus>> host : census.entrySet()) {
            VmStatus st = host.getValue().get(agent);
            if (on.isPresent() && host.getKey().equals(on.get())) {
              home = st.running();
            } else if (st.present() && !st.running()) {
              stray.add(host.getKey());
            }
          }
          if ((on.isPresent() && !home) || stray.isEmpty()) {
            return; // not running where said, or nothing to clear: touch nothing
          }
          on.ifPresent(h -> aborts.computeIfAbsent(h, k -> new ArrayList<>()).add(agent));
          stray.forEach(h -> removals.computeIfAbsent(h, k -> new ArrayList<>()).add(agent));
        });
    // every standing stream is stopped on its source before any standby of it is removed
    onHosts(aborts, "abort the standing stream of", Level.INFO, Hypervisor::abortJob);
    onHosts(
        removals,
        "remove the standby of",
        Level.WARNING,
        (hv, agent) -> {
          hv.remove(agent);
          LOG.log(
              Level.INFO, "removed a standby copy of {0} from {1}", agent, hv.endpoint().name());
        });
  }

  /**
   * Does {@code action} to each agent listed under a host, one connection per host; an agent it
   * fails for is logged at {@code failed} (no job to abort is no news).
   */
  private void onHosts(
      Map<String, List<String>> agentsByHost,
      String what,
      Level failed,
      BiConsumer<Hypervisor, String> action) {
    for (HypervisorEndpoint ep : endpoints.get()) {
      List<String> agents = agentsByHost.getOrDefault(ep.name(), List.of());
      if (agents.isEmpty()) {
        continue;
      }
      try (Hypervisor hv = factory.connect(ep)) {
        for (String agent : agents) {
          try {
            action.accept(hv, agent);
          } catch (MigrationException | IllegalStateException e) {
            LOG.log(failed, "cannot " + what + " " + agent + " on " + ep.name() + ": " + e);
          }
        }
      } catch (MigrationException | IllegalStateException e) {
        LOG.log(Level.WARNING, "clear standbys: host " + ep.name() + " unreachable: " + e);
      }
    }
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
