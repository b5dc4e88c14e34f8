package io.spotnest.orchestrator.facade;

import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.AgentLost;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.HostPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.journal.JournalRecord.OperatorAction;
import io.spotnest.orchestrator.journal.JournalRecord.OperatorRequested;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.Assessment;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.LiveHostView;
import io.spotnest.orchestrator.port.PoolSignals;
import io.spotnest.orchestrator.port.RiskStrategy;
import io.spotnest.orchestrator.port.SpotHostView;
import io.spotnest.strategy.fleet.CopyMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Operators' requests join the strategy's voluntary evacuations: "migrate now" moves one agent,
 * "drain host" every agent of a host, each with a deadline {@code window} ahead and a reason
 * starting with {@code operator:}. They run in the voluntary lane (behind forced evacuations, only
 * when the state is synced). Pending requests are rebuilt from the journal, so they survive a
 * restart; one ends when its move starts or its agent (host) is gone.
 */
public final class OperatorLane implements RiskStrategy, Consumer<JournalRecord> {
  static final String MIGRATE_NOW = "operator: migrate now";
  static final String DRAIN = "operator: drain host";
  private final RiskStrategy strategy;
  private final Duration window;
  private final Map<String, String> migrateNow = new LinkedHashMap<>();
  private final Set<String> draining = new LinkedHashSet<>();
  private Supplier<FleetState> state;
  private Map<PoolKey, Double> lastRisk = Map.of();

  public OperatorLane(RiskStrategy strategy, Duration window) {
    this.strategy = strategy;
    if (window == null || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, got " + window);
    }
    this.window = window;
  }

  /** The model to find the agents' hosts in, once the orchestrator has replayed the journal. */
  void live(Supplier<FleetState> model) {
    this.state = model;
  }

  @Override
  public void accept(JournalRecord r) {
    if (r instanceof OperatorRequested o) {
      if (o.action() == OperatorAction.MIGRATE_NOW) {
        migrateNow.put(o.target(), o.requestId());
      } else {
        draining.add(o.target());
      }
    } else if (r instanceof MoveStarted s) {
      migrateNow.remove(s.agentId());
    } else if (r instanceof AgentLost l) {
      migrateNow.remove(l.agentId());
    } else if (r instanceof AgentPhaseChanged c && c.phase() == AgentPhase.GONE) {
      migrateNow.remove(c.agentId());
    } else if (r instanceof HostPhaseChanged h && h.phase() == HostPhase.GONE) {
      draining.remove(h.hostId());
    }
  }

  @Override
  public Assessment assess(
      Instant now, Collection<PoolSignals> pools, List<SpotHostView> spotHosts) {
    return withOperators(strategy.assess(now, pools, spotHosts), now);
  }

  @Override
  public Assessment decide(Instant now, Collection<PoolSignals> pools, List<LiveHostView> hosts) {
    return withOperators(strategy.decide(now, pools, hosts), now);
  }

  @Override
  public Assessment decide(
      Instant now, Collection<PoolSignals> pools, List<LiveHostView> hosts, CopyMode copyMode) {
    return withOperators(strategy.decide(now, pools, hosts, copyMode), now);
  }

  private Assessment withOperators(Assessment a, Instant now) {
    lastRisk = a.poolRisk();
    if (state == null || (migrateNow.isEmpty() && draining.isEmpty())) {
      return a;
    }
    FleetState s = state.get();
    List<Evacuation> out = new ArrayList<>(a.evacuations());
    Set<String> taken = new HashSet<>();
    a.evacuations().forEach(e -> taken.add(e.agentId()));
    migrateNow.forEach(
        (agentId, requestId) ->
            add(s, agentId, now, MIGRATE_NOW + " (" + requestId + ")", taken, out));
    for (String host : draining) {
      for (String agentId : List.copyOf(s.agentsOn(host))) {
        add(s, agentId, now, DRAIN + " " + host, taken, out);
      }
    }
    return new Assessment(
        a.poolRisk(),
        out,
        a.spares(),
        a.spotLaunches(),
        a.releases(),
        a.drains(),
        a.standingCopies());
  }

  /** The pool risks of the last assessment. */
  public Map<PoolKey, Double> lastRisk() {
    return lastRisk;
  }

  private void add(
      FleetState s,
      String agentId,
      Instant now,
      String reason,
      Set<String> taken,
      List<Evacuation> out) {
    Agent a = s.findAgent(agentId).orElse(null);
    if (a == null
        || a.hostId() == null
        || !taken.add(agentId)
        || (a.phase() != AgentPhase.ONLINE && a.phase() != AgentPhase.BUSY)) {
      return;
    }
    out.add(new Evacuation(agentId, a.hostId(), now.plus(window), false, reason));
  }
}
