package io.spotnest.strategy.sim;

import io.spotnest.strategy.policy.MigrationTimeEstimator;
import java.util.List;

/** What a strategy sees and may act on during a run. */
record SimContext(
    Fleet fleet, List<SpotPool> pools, MigrationTimeEstimator estimator, SimConfig config) {
  /** How long a strategy without foresight avoids a pool after a launch there failed. */
  static final long RETRY_AFTER_FAILED_LAUNCH_SECONDS = 10 * 60;

  long now() {
    return fleet.now;
  }

  /** The cheapest spot pool whose last launch did not fail recently, or null. */
  SpotPool cheapestAvailable() {
    SpotPool best = null;
    for (SpotPool p : pools) {
      if (!p.failedWithin(fleet.now, RETRY_AFTER_FAILED_LAUNCH_SECONDS)
          && p.spotToOnDemand() < 1
          && (best == null || p.spotToOnDemand() < best.spotToOnDemand())) {
        best = p;
      }
    }
    return best;
  }
}
