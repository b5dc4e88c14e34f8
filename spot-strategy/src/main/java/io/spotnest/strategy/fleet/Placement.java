package io.spotnest.strategy.fleet;

import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.signal.PoolId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a new build's agent starts: among the open pools where {@link MigrationPolicy#placeOnSpot}
 * accepts it, the one with the lowest 60-minute hazard; empty means on-demand. The simulator runs
 * exactly this code for our strategy.
 */
public final class Placement {
  private final MigrationPolicy policy;

  public Placement(MigrationPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  public Optional<PoolId> choose(double ramGiB, Duration duration, List<PoolOffer> pools) {
    return choose(ramGiB, duration, pools, Double.POSITIVE_INFINITY);
  }

  /**
   * As {@link #choose(double, Duration, List)} when a standing copy costing {@code copyCostPerHour}
   * (infinite: none available) can protect the build on spot.
   */
  public Optional<PoolId> choose(
      double ramGiB, Duration duration, List<PoolOffer> pools, double copyCostPerHour) {
    PoolOffer best = null;
    for (PoolOffer p : pools) {
      boolean spot =
          Double.isInfinite(copyCostPerHour)
              ? policy.placeOnSpot(ramGiB, duration, p.hazard(), p.spotToOnDemand())
              : policy.placeOnSpot(
                  ramGiB, duration, p.hazard(), p.spotToOnDemand(), copyCostPerHour);
      if (!p.open() || !spot) {
        continue;
      }
      if (best == null || p.hazard().p60() < best.hazard().p60()) {
        best = p;
      }
    }
    return Optional.ofNullable(best).map(PoolOffer::pool);
  }
}
