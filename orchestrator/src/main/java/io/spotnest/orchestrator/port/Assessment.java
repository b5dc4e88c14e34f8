package io.spotnest.orchestrator.port;

import io.spotnest.orchestrator.model.PoolKey;
import java.util.List;
import java.util.Map;

/**
 * The strategy's answer: the risk of each pool (probability of a reclamation within 15 min) and the agents to move.
 */
public record Assessment(Map<PoolKey, Double> poolRisk, List<Evacuation> evacuations) {
  public Assessment {
    poolRisk = Map.copyOf(poolRisk);
    evacuations = List.copyOf(evacuations);
  }

  public static Assessment none() {
    return new Assessment(Map.of(), List.of());
  }
}
