package io.spotnest.strategy.policy;

import io.spotnest.strategy.risk.Hazard;
import io.spotnest.strategy.risk.RiskModel;
import io.spotnest.strategy.signal.PoolId;
import io.spotnest.strategy.signal.PoolSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One decision pass over the spot fleet: one hazard per pool, then one decision per agent. */
public final class DecisionTick {
  private final RiskModel model;
  private final MigrationPolicy policy;

  public DecisionTick(RiskModel model, MigrationPolicy policy) {
    this.model = Objects.requireNonNull(model, "model");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * @param pools the latest snapshot of every pool that has hosts
   * @param destinationReadyIn time until on-demand capacity for an evacuation is ready
   */
  public List<AgentDecision> decide(
      Instant now,
      Map<PoolId, PoolSnapshot> pools,
      List<HostState> hosts,
      Duration destinationReadyIn) {
    Map<PoolId, Hazard> hazards = new HashMap<>();
    for (Map.Entry<PoolId, PoolSnapshot> e : pools.entrySet()) {
      hazards.put(e.getKey(), model.assess(e.getValue()));
    }
    List<AgentDecision> out = new ArrayList<>();
    for (HostState h : hosts) {
      Hazard hazard = hazards.get(h.pool());
      if (hazard == null) {
        throw new IllegalArgumentException(
            "no snapshot for pool " + h.pool() + " of host " + h.id());
      }
      double hostRam = h.ramGiB();
      for (AgentState a : h.agents()) {
        AgentContext c =
            new AgentContext(
                now,
                a.ramGiB(),
                a.elapsed(),
                a.expectedRemaining(),
                h.pool(),
                hazard,
                h.spotToOnDemand(),
                hostRam,
                destinationReadyIn,
                h.notice());
        out.add(new AgentDecision(h.id(), a.id(), policy.decide(c)));
      }
    }
    return out;
  }
}
