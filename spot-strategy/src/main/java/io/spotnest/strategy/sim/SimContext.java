package io.spotnest.strategy.sim;

import io.spotnest.strategy.policy.MigrationTimeEstimator;
import java.util.List;

/** What a strategy sees and may act on during a run. */
record SimContext(Fleet fleet, List<Market> markets, MigrationTimeEstimator estimator, SimConfig config) {

  long now() {
    return fleet.now;
  }

  /** The open pool with the lowest spot price, or null. */
  Market cheapestOpen() {
    Market best = null;
    for (Market m : markets) {
      if (m.open(fleet.now) && m.pool.spotToOnDemand() < 1
          && (best == null || m.pool.spotToOnDemand() < best.pool.spotToOnDemand())) {
        best = m;
      }
    }
    return best;
  }
}
