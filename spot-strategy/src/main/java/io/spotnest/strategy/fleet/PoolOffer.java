package io.spotnest.strategy.fleet;

import io.spotnest.strategy.risk.Hazard;
import io.spotnest.strategy.signal.PoolId;
import java.util.Objects;

/**
 * A spot pool as a candidate for moves back, as the caller sees it now.
 *
 * @param spotToOnDemand its spot price as a fraction of on-demand
 * @param hazard its reclamation hazard now
 * @param open whether the caller would place there now (no failed launch lately, no evacuation or
 *     notice during its quiet period)
 */
public record PoolOffer(PoolId pool, double spotToOnDemand, Hazard hazard, boolean open) {
  public PoolOffer {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(hazard, "hazard");
  }
}
