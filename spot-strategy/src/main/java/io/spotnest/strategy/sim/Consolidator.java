package io.spotnest.strategy.sim;

import io.spotnest.strategy.fleet.Consolidation;
import io.spotnest.strategy.fleet.FleetDecision;
import io.spotnest.strategy.policy.MigrationPolicy;
import java.time.Instant;
import java.util.List;

/** Runs the public {@link Consolidation} on the simulated fleet. */
final class Consolidator {

  /** Returns true when it started a consolidation. */
  boolean consolidateOnce(Fleet fleet, MigrationPolicy policy) {
    List<FleetDecision> decisions =
        new Consolidation(policy)
            .consolidateOnce(FleetViews.hosts(fleet), Instant.EPOCH.plusSeconds(fleet.now));
    FleetViews.apply(fleet, decisions, Instant.EPOCH);
    return !decisions.isEmpty();
  }
}
