package io.spotnest.strategy.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Everything known about one pool at {@code now}, built only from signals with {@code at <= now}.
 *
 * @param frequency the Spot Advisor bucket, if the pool is in the feed
 * @param spotToOnDemand the current spot/on-demand price ratio, if both prices are known
 * @param baselineSpotToOnDemand the pool's usual ratio (from the Advisor saving), if known
 * @param capacityScore the latest placement score, if the provider gives one
 * @param hostAge age of the pool's running hosts (continuous-capacity age), empty when none runs
 * @param recentReclamations observed reclamation instants inside the look-back window, oldest first
 * @param observedReclamations all reclamations observed so far in the pool
 * @param observedExposure total host time observed in the pool so far (the denominator of the rate)
 * @param notice a pending interruption notice for a host of the pool
 * @param rebalance a recent rebalance recommendation (only in what-if runs; the traces do not hold
 *     them)
 */
public record PoolSnapshot(
    PoolId pool,
    Instant now,
    Optional<InterruptionFrequency> frequency,
    OptionalDouble spotToOnDemand,
    OptionalDouble baselineSpotToOnDemand,
    Optional<CapacityScore> capacityScore,
    Optional<Duration> hostAge,
    List<Instant> recentReclamations,
    int observedReclamations,
    Duration observedExposure,
    Optional<InterruptionNotice> notice,
    Optional<RebalanceRecommendation> rebalance) {

  public PoolSnapshot {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(frequency, "frequency");
    Objects.requireNonNull(spotToOnDemand, "spotToOnDemand");
    Objects.requireNonNull(baselineSpotToOnDemand, "baselineSpotToOnDemand");
    Objects.requireNonNull(capacityScore, "capacityScore");
    Objects.requireNonNull(hostAge, "hostAge");
    recentReclamations = List.copyOf(recentReclamations);
    Objects.requireNonNull(observedExposure, "observedExposure");
    Objects.requireNonNull(notice, "notice");
    Objects.requireNonNull(rebalance, "rebalance");
    if (observedReclamations < 0) {
      throw new IllegalArgumentException("observedReclamations must not be negative");
    }
    for (Instant r : recentReclamations) {
      if (r.isAfter(now)) {
        throw new IllegalArgumentException(
            "reclamation at " + r + " is after now " + now + " (future data)");
      }
    }
    notice.ifPresent(
        n -> {
          if (n.at().isAfter(now)) {
            throw new IllegalArgumentException(
                "notice at " + n.at() + " is after now " + now + " (future data)");
          }
        });
  }

  /** The {@link RecentReclamations} signal for the given window ending now. */
  public RecentReclamations recentCount(Duration window) {
    Instant from = now.minus(window);
    int n = 0;
    for (Instant r : recentReclamations) {
      if (r.isAfter(from)) {
        n++;
      }
    }
    return new RecentReclamations(pool, now, window, n);
  }
}
