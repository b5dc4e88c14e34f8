package io.spotnest.strategy.sim;

import io.spotnest.strategy.policy.MigrationPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Merges the emptiest usable spot host into a fuller one of the same pool when the policy says both are at most
 * half used and the agents fit; the source is cordoned and retires once empty. One merge per call.
 */
final class Consolidator {

  /** Returns true when it started a consolidation. */
  boolean consolidateOnce(Fleet fleet, MigrationPolicy policy) {
    long now = fleet.now;
    List<SimHost> spot = new ArrayList<>();
    for (SimHost h : fleet.alive()) {
      if (h.spot() && h.usable() && h.ready(now) && !h.agents.isEmpty()) {
        spot.add(h);
      }
    }
    spot.sort(Comparator.comparingDouble(SimHost::usedFraction));
    for (SimHost source : spot) {
      if (hasInbound(fleet, source) || source.agents.stream().anyMatch(a -> a.migration != null)) {
        continue;
      }
      for (int i = spot.size() - 1; i >= 0; i--) {
        SimHost target = spot.get(i);
        if (target != source && target.pool == source.pool && policy.shouldConsolidate(source.reservedGiB,
            source.capacityGiB, target.reservedGiB, target.capacityGiB)) {
          source.cordoned = true;
          for (SimAgent a : new ArrayList<>(source.agents)) {
            fleet.migrate(a, target, -1, false);
          }
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasInbound(Fleet fleet, SimHost h) {
    for (Migration m : fleet.migrations) {
      if (m.to == h) {
        return true;
      }
    }
    return false;
  }
}
