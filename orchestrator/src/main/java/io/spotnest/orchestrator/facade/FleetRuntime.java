package io.spotnest.orchestrator.facade;

import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.journal.Journal;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.journal.JournalRecord.OperatorAction;
import io.spotnest.orchestrator.journal.JournalRecord.OperatorRequested;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.orchestrator.tick.Ids;
import io.spotnest.orchestrator.tick.RemovalThreads;
import io.spotnest.orchestrator.tick.RemovalWorker;
import io.spotnest.orchestrator.tick.TickReport;
import io.spotnest.orchestrator.view.FleetHistory;
import io.spotnest.orchestrator.view.FleetSnapshot;
import io.spotnest.orchestrator.view.FleetView;
import io.spotnest.orchestrator.view.JournalTap;
import io.spotnest.orchestrator.view.PriceTap;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The orchestrator as a service for a host process (the CLI, the Jenkins controller): one lock
 * serialises the tick and the commands, each command is journaled like every other action, and
 * after each of them a fresh {@link FleetSnapshot} is published to the {@link FleetView}, which any
 * thread may read.
 */
public final class FleetRuntime implements AutoCloseable {
  /** Risk points kept per pool: a day of one-minute ticks. */
  static final int RISK_POINTS = 1440;

  private final Object lock = new Object();
  private final Clock clock;
  private final Journal journal;
  private final Ids ids;
  private final FleetHistory history;
  private final OperatorLane lane;
  private final PriceTap prices;
  private final Orchestrator orchestrator;
  private final FleetView view;
  private final FleetSnapshot replayed;

  private FleetRuntime(
      Clock clock,
      Journal journal,
      Orchestrator.Ports ports,
      FleetConfig config,
      Ids ids,
      Duration operatorWindow,
      RemovalWorker removalWorker) {
    this.clock = clock;
    this.ids = ids;
    history = new FleetHistory(clock, RISK_POINTS);
    lane = new OperatorLane(ports.strategy(), operatorWindow);
    this.journal = new JournalTap(journal, List.of(history, lane));
    prices = new PriceTap(ports.market());
    orchestrator =
        new Orchestrator(
            clock,
            this.journal,
            new Orchestrator.Ports(
                ports.fleet(), ports.mover(), ports.vms(), prices, lane, ports.secrets()),
            config,
            ids,
            removalWorker);
    history.live(orchestrator::state);
    lane.live(orchestrator::state);
    view = new FleetView(FleetSnapshot.empty(clock.instant()));
    replayed = history.snapshot(orchestrator.state(), clock.instant());
  }

  /**
   * Replays {@code journal}, reconciles with the world and publishes the first snapshot; VM
   * removals run on {@link RemovalThreads}.
   *
   * @param operatorWindow how long an operator's move may take (its deadline from the tick that
   *     starts it)
   */
  public static FleetRuntime start(
      Clock clock,
      Journal journal,
      Orchestrator.Ports ports,
      FleetConfig config,
      Ids ids,
      Duration operatorWindow) {
    return start(clock, journal, ports, config, ids, operatorWindow, new RemovalThreads());
  }

  /**
   * As {@link #start(Clock, Journal, Orchestrator.Ports, FleetConfig, Ids, Duration)}, the VM
   * removals run on {@code removalWorker}, which the runtime owns (stopped by {@link #close()}).
   */
  public static FleetRuntime start(
      Clock clock,
      Journal journal,
      Orchestrator.Ports ports,
      FleetConfig config,
      Ids ids,
      Duration operatorWindow,
      RemovalWorker removalWorker) {
    FleetRuntime r;
    try {
      r = new FleetRuntime(clock, journal, ports, config, ids, operatorWindow, removalWorker);
    } catch (RuntimeException e) {
      removalWorker.close();
      throw e;
    }
    try {
      r.locked(
          () -> {
            r.orchestrator.reconcile();
            return null;
          });
    } catch (RuntimeException e) {
      r.orchestrator.close(); // the journal stays the caller's
      throw e;
    }
    return r;
  }

  /**
   * What the journal held at start, before reconcile: the moves and losses earlier runs already saw
   * (a loss that reconcile finds is not in it).
   */
  public FleetSnapshot replayed() {
    return replayed;
  }

  /** The read-only side. */
  public FleetView view() {
    return view;
  }

  /** One pass of the control loop; then the pools' risk and the cost so far are recorded. */
  public TickReport tick() {
    return locked(
        () -> {
          TickReport r = orchestrator.tick();
          history.sample(r.at(), lane.lastRisk());
          history.accrue(r.at(), orchestrator.state(), prices.latest());
          return r;
        });
  }

  /**
   * Queues an agent under the caller's id; a no-op when that agent is already live (a retried
   * request).
   */
  public void requestAgent(AgentOrder order) {
    locked(
        () -> {
          Agent a = orchestrator.state().findAgent(order.agentId()).orElse(null);
          if (a == null) {
            orchestrator.request(
                new AgentRequested(
                    order.agentId(),
                    order.ramMiB(),
                    order.expectedBuild(),
                    null,
                    order.template(),
                    order.marketPolicy().name(),
                    order.boot(),
                    order.copy()));
          } else if (a.phase() == AgentPhase.GONE) {
            throw new IllegalStateException(
                "agent " + order.agentId() + " is gone; ask under a new name");
          }
          return null;
        });
  }

  /**
   * Asks for a live migration of the agent off its host, in the voluntary lane, at the next tick;
   * returns the request's id. Refused (nothing journaled) unless the agent is online or busy.
   */
  public String migrateNow(String agentId) {
    return locked(
        () -> {
          Agent a =
              orchestrator
                  .state()
                  .findAgent(agentId)
                  .orElseThrow(() -> new IllegalArgumentException("no agent named " + agentId));
          if (a.phase() != AgentPhase.ONLINE && a.phase() != AgentPhase.BUSY) {
            throw new IllegalStateException(
                "agent "
                    + agentId
                    + " is "
                    + a.phase().name().toLowerCase()
                    + "; only an online or busy agent can be moved");
          }
          String id = ids.next("op");
          orchestrator.record(
              new OperatorRequested(id, OperatorAction.MIGRATE_NOW, agentId, clock.instant()));
          return id;
        });
  }

  /**
   * Closes the host to new agents and moves its agents off (voluntary lane); returns the request's
   * id.
   */
  public String drainHost(String hostId) {
    return locked(
        () -> {
          ManagedHost h =
              orchestrator
                  .state()
                  .findHost(hostId)
                  .filter(ManagedHost::live)
                  .orElseThrow(() -> new IllegalArgumentException("no live host " + hostId));
          String id = ids.next("op");
          orchestrator.record(
              new OperatorRequested(id, OperatorAction.DRAIN_HOST, hostId, clock.instant()));
          if (h.phase() == HostPhase.READY || h.phase() == HostPhase.AT_RISK) {
            orchestrator.drain(hostId, OperatorLane.DRAIN + " (" + id + ")");
          }
          return id;
        });
  }

  /** The agent's VM booted and its build channel connected. */
  public void agentOnline(String agentId) {
    run(() -> orchestrator.agentOnline(agentId));
  }

  public void buildStarted(String agentId) {
    run(() -> orchestrator.buildStarted(agentId));
  }

  public void buildFinished(String agentId) {
    run(() -> orchestrator.buildFinished(agentId));
  }

  /** No more builds for this agent: drains it and removes its VM (refused while it migrates). */
  public void retireAgent(String agentId) {
    run(() -> orchestrator.retireAgent(agentId));
  }

  /** Withdraws an agent that never came online; its VM, if booted, is removed. */
  public void cancelAgent(String agentId) {
    run(() -> orchestrator.cancelAgent(agentId));
  }

  /**
   * Stops the orchestrator's VM removal worker (never hanging: a removal blocked on its host is
   * left to the next start's reconciliation), then closes the journal.
   */
  @Override
  public void close() {
    synchronized (lock) {
      try {
        orchestrator.close();
      } finally {
        journal.close();
      }
    }
  }

  private void run(Runnable command) {
    locked(
        () -> {
          command.run();
          return null;
        });
  }

  private <T> T locked(Supplier<T> command) {
    synchronized (lock) {
      try {
        return command.get();
      } finally {
        view.publish(history.snapshot(orchestrator.state(), clock.instant()));
      }
    }
  }
}
