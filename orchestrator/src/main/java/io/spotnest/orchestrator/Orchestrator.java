package io.spotnest.orchestrator;

import io.spotnest.orchestrator.journal.Journal;
import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.LostBuild;
import io.spotnest.orchestrator.placement.Placement;
import io.spotnest.orchestrator.port.AgentMover;
import io.spotnest.orchestrator.port.AgentVms;
import io.spotnest.orchestrator.port.HostFleet;
import io.spotnest.orchestrator.port.MarketFeed;
import io.spotnest.orchestrator.port.RiskStrategy;
import io.spotnest.orchestrator.port.SecretSource;
import io.spotnest.orchestrator.reconcile.Reconciler;
import io.spotnest.orchestrator.signal.SignalBook;
import io.spotnest.orchestrator.tick.AgentBoot;
import io.spotnest.orchestrator.tick.AgentPlacer;
import io.spotnest.orchestrator.tick.ControlLoop;
import io.spotnest.orchestrator.tick.EventTriage;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.orchestrator.tick.HostKeeper;
import io.spotnest.orchestrator.tick.HostLoss;
import io.spotnest.orchestrator.tick.Ids;
import io.spotnest.orchestrator.tick.MoveStarter;
import io.spotnest.orchestrator.tick.MoveTracker;
import io.spotnest.orchestrator.tick.PoolDrains;
import io.spotnest.orchestrator.tick.Recorder;
import io.spotnest.orchestrator.tick.RemovalThreads;
import io.spotnest.orchestrator.tick.RemovalWorker;
import io.spotnest.orchestrator.tick.StandingCopies;
import io.spotnest.orchestrator.tick.SyncGate;
import io.spotnest.orchestrator.tick.TickReport;
import io.spotnest.orchestrator.tick.VmRemovals;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The orchestrator, Jenkins-free: replays its journal, reconciles with the world, then runs ticks;
 * the build side reports agents online, busy, idle and retired. Every transition is journaled
 * before it is acted on. Not thread-safe: one thread calls it (the journal has one writer per
 * cluster). It owns the worker that removes the VMs of gone agents ({@link VmRemovals}); {@link
 * #close()} stops it.
 */
public final class Orchestrator implements AutoCloseable {
  private final Clock clock;
  private final FleetConfig config;
  private final FleetState state = new FleetState();
  private final Recorder recorder;
  private final Ids ids;
  private final VmRemovals removals;
  private final Reconciler reconciler;
  private final ControlLoop loop;

  /**
   * One ready-to-use set of ports.
   *
   * @param secrets gives an agent's secret at boot time (it is never journaled)
   */
  public record Ports(
      HostFleet fleet,
      AgentMover mover,
      AgentVms vms,
      MarketFeed market,
      RiskStrategy strategy,
      SecretSource secrets) {
    /** Ports for agents that carry no secret. */
    public Ports(
        HostFleet fleet, AgentMover mover, AgentVms vms, MarketFeed market, RiskStrategy strategy) {
      this(fleet, mover, vms, market, strategy, SecretSource.none());
    }

    /** The same ports with another secret source. */
    public Ports withSecrets(SecretSource source) {
      return new Ports(fleet, mover, vms, market, strategy, source);
    }
  }

  /** An orchestrator whose VM removals run on {@link RemovalThreads}. */
  public Orchestrator(Clock clock, Journal journal, Ports ports, FleetConfig config, Ids ids) {
    this(clock, journal, ports, config, ids, new RemovalThreads());
  }

  /**
   * An orchestrator whose VM removals run on {@code removalWorker}, which it owns (closed by {@link
   * #close()}).
   */
  public Orchestrator(
      Clock clock,
      Journal journal,
      Ports ports,
      FleetConfig config,
      Ids ids,
      RemovalWorker removalWorker) {
    this.clock = clock;
    this.config = config;
    this.ids = ids;
    this.removals = new VmRemovals(ports.vms(), state, removalWorker);
    for (JournalRecord r : journal.replay()) {
      state.apply(r);
    }
    recorder = new Recorder(journal, state);
    SignalBook signals = new SignalBook();
    SyncGate gate = new SyncGate();
    Placement placement = new Placement(config.limits(), config.standbyStoreMiB());
    HostLoss loss = new HostLoss(recorder, ports.mover(), ids, removals, clock);
    MoveTracker tracker = new MoveTracker(recorder, ports.mover(), loss, removals);
    HostKeeper hosts = new HostKeeper(recorder, ports.fleet(), loss, signals, config, ids, clock);
    AgentBoot boots = new AgentBoot(ports.vms(), ports.secrets());
    StandingCopies copies =
        new StandingCopies(
            recorder,
            ports.mover(),
            placement,
            loss,
            ids,
            ports.strategy()::crossZoneCopyCost,
            config.standbyStoreMiB());
    reconciler =
        new Reconciler(
            recorder, ports.mover(), removals, boots, hosts, tracker, loss, gate, copies);
    loop =
        new ControlLoop(
            clock,
            state,
            ports.fleet(),
            ports.market(),
            ports.strategy(),
            config,
            signals,
            new EventTriage(recorder, ports.fleet(), signals, loss),
            hosts,
            tracker,
            new MoveStarter(
                recorder, ports.mover(), placement, tracker, ids, config.voluntaryWindow(), copies),
            new AgentPlacer(recorder, boots, placement, loss, removals),
            copies,
            gate,
            new PoolDrains(recorder));
  }

  /**
   * Reconciles the replayed journal with the real hosts and VMs; voluntary moves stay off until it
   * has run.
   */
  public void reconcile() {
    reconciler.reconcile(clock.instant());
  }

  /**
   * One tick of the control loop, after taking in the VM removals the worker finished; it never
   * waits for a removal.
   */
  public TickReport tick() {
    removals.settle();
    return loop.tick();
  }

  /**
   * Stops the VM removal worker (within a short grace for one that runs, never hanging); a removal
   * not done is left to the next start's reconciliation. The journal is the caller's to close.
   */
  @Override
  public void close() {
    removals.close();
  }

  /** Queues a new agent; refused when the agent limit is reached. */
  public String requestAgent(long ramMiB, Duration expectedBuild) {
    String id = ids.next("agent");
    request(new AgentRequested(id, ramMiB, expectedBuild, null));
    return id;
  }

  /**
   * Queues a new agent under the caller's id (e.g. the Jenkins node name) with what it asked for;
   * refused when the agent limit is reached or the id is taken.
   */
  public void request(AgentRequested request) {
    if (state.liveAgents() >= config.limits().maxAgents()) {
      throw new IllegalStateException("agent limit " + config.limits().maxAgents() + " reached");
    }
    recorder.record(request);
  }

  /**
   * Journals an operator's request; what it asks for is done by the tick (see {@code
   * facade.OperatorLane}).
   */
  public void record(JournalRecord.OperatorRequested request) {
    recorder.record(request);
  }

  /** Closes a host to new agents and starts draining it, journaled with {@code reason}. */
  public void drain(String hostId, String reason) {
    recorder.record(new JournalRecord.HostPhaseChanged(hostId, HostPhase.DRAINING, reason));
  }

  /** The agent's VM booted and its build channel connected. */
  public void agentOnline(String agentId) {
    step(agentId, AgentPhase.ONLINE, "connected");
  }

  public void buildStarted(String agentId) {
    step(agentId, AgentPhase.BUSY, "build started");
  }

  public void buildFinished(String agentId) {
    step(agentId, AgentPhase.ONLINE, "build finished");
  }

  /**
   * No more builds for this agent: drain it and hand the removal of its VM to the removal worker
   * (tried until it works, {@link VmRemovals}); it returns without waiting for the host. Refused
   * (nothing recorded) while it migrates: retire it once the move has ended.
   */
  public void retireAgent(String agentId) {
    step(agentId, AgentPhase.DRAINING, "retired");
    Agent a = state.findAgent(agentId).orElseThrow();
    String host = a.hostId();
    step(agentId, AgentPhase.GONE, "retired");
    removals.remove(agentId, host);
  }

  /**
   * Withdraws an agent that never came online (requested, placed or booting): it is gone, then the
   * removal of its VM, if one was booted, is handed to the removal worker ({@link VmRemovals}).
   * Refused for any other phase (retire an online agent instead).
   */
  public void cancelAgent(String agentId) {
    Agent a =
        state
            .findAgent(agentId)
            .orElseThrow(() -> new IllegalArgumentException("unknown agent " + agentId));
    if (a.phase() != AgentPhase.REQUESTED
        && a.phase() != AgentPhase.PLACED
        && a.phase() != AgentPhase.BOOTING) {
      throw new IllegalStateException(
          "agent " + agentId + " is " + a.phase() + "; only one not yet online is cancelled");
    }
    String host = a.hostId();
    step(agentId, AgentPhase.GONE, "cancelled");
    if (host != null) {
      removals.remove(agentId, host);
    }
  }

  public FleetState state() {
    return state;
  }

  public List<LostBuild> lostBuilds() {
    return state.lostBuilds();
  }

  private void step(String agentId, AgentPhase phase, String reason) {
    recorder.record(new AgentPhaseChanged(agentId, phase, clock.instant(), reason));
  }
}
