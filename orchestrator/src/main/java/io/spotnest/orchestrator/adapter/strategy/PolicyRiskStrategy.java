package io.spotnest.orchestrator.adapter.strategy;

import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.AgentView;
import io.spotnest.orchestrator.port.Assessment;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.PoolSignals;
import io.spotnest.orchestrator.port.RiskStrategy;
import io.spotnest.orchestrator.port.SpotHostView;
import io.spotnest.strategy.policy.AgentDecision;
import io.spotnest.strategy.policy.AgentState;
import io.spotnest.strategy.policy.Decision;
import io.spotnest.strategy.policy.DecisionTick;
import io.spotnest.strategy.policy.HostState;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.risk.RiskModel;
import io.spotnest.strategy.signal.InterruptionNotice;
import io.spotnest.strategy.signal.PoolId;
import io.spotnest.strategy.signal.PoolSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link RiskStrategy} port on spot-strategy's public risk model and policy ({@link
 * DecisionTick}), the same code the simulator scores. One snapshot per pool (keyed by zone id)
 * gives the pool's risk; a host's notice is passed with that host only, so it forces that host's
 * agents out without raising its neighbours' hazard.
 */
public final class PolicyRiskStrategy implements RiskStrategy {
  private static final double MIB_PER_GIB = 1024;
  private final RiskModel model;
  private final DecisionTick tick;
  private final Duration destinationReadyIn;
  private final double assumedSpotToOnDemand;

  /**
   * @param destinationReadyIn time until evacuation capacity is ready (zero with a warm pool)
   * @param assumedSpotToOnDemand spot/on-demand ratio used for a pool without a price quote
   */
  public PolicyRiskStrategy(
      RiskModel model,
      MigrationPolicy policy,
      Duration destinationReadyIn,
      double assumedSpotToOnDemand) {
    this.model = Objects.requireNonNull(model, "model");
    this.tick = new DecisionTick(model, Objects.requireNonNull(policy, "policy"));
    this.destinationReadyIn = Objects.requireNonNull(destinationReadyIn, "destinationReadyIn");
    if (!(assumedSpotToOnDemand > 0 && assumedSpotToOnDemand <= 1)) {
      throw new IllegalArgumentException(
          "assumedSpotToOnDemand must be in (0, 1], got " + assumedSpotToOnDemand);
    }
    this.assumedSpotToOnDemand = assumedSpotToOnDemand;
  }

  @Override
  public Assessment assess(
      Instant now, Collection<PoolSignals> pools, List<SpotHostView> spotHosts) {
    Map<PoolId, PoolSnapshot> snapshots = new HashMap<>();
    Map<PoolKey, Double> ratios = new HashMap<>();
    for (PoolSignals p : pools) {
      snapshots.put(PoolSnapshots.id(p.pool()), PoolSnapshots.of(p, now));
      p.quote().ifPresent(q -> ratios.put(p.pool(), q.spotToOnDemand()));
    }
    for (SpotHostView h : spotHosts) {
      snapshots.computeIfAbsent(
          PoolSnapshots.id(h.pool()), id -> PoolSnapshots.empty(h.pool(), now));
    }
    Map<PoolKey, Double> risk = new HashMap<>();
    for (PoolSnapshot s : snapshots.values()) {
      risk.put(new PoolKey(s.pool().instanceType(), s.pool().zone()), model.assess(s).p15());
    }
    List<HostState> hosts = new ArrayList<>();
    for (SpotHostView h : spotHosts) {
      if (!h.agents().isEmpty()) {
        hosts.add(hostState(h, ratios.getOrDefault(h.pool(), assumedSpotToOnDemand), now));
      }
    }
    List<Evacuation> out = new ArrayList<>();
    for (AgentDecision d : tick.decide(now, snapshots, hosts, destinationReadyIn)) {
      if (d.decision() instanceof Decision.MigrateOut m) {
        out.add(new Evacuation(d.agentId(), d.hostId(), m.deadline(), m.forced(), m.reason()));
      }
    }
    return new Assessment(risk, out);
  }

  private static HostState hostState(SpotHostView h, double ratio, Instant now) {
    PoolId pool = PoolSnapshots.id(h.pool());
    List<AgentState> agents = new ArrayList<>();
    for (AgentView a : h.agents()) {
      agents.add(
          new AgentState(
              a.agentId(), a.ramMiB() / MIB_PER_GIB, a.elapsed(), a.expectedRemaining()));
    }
    return new HostState(
        h.hostId(),
        pool,
        ratio,
        agents,
        h.notice()
            .map(
                deadline ->
                    new InterruptionNotice(
                        pool, deadline.isBefore(now) ? deadline : now, h.hostId(), deadline)));
  }
}
