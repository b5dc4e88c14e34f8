package io.spotnest.strategy.sim;

import io.spotnest.strategy.data.AdvisorEntry;
import io.spotnest.strategy.data.CapacityTrace;
import java.util.Objects;
import java.util.Optional;

/**
 * One spot pool in a simulation: its capacity trace, its price as a fraction of on-demand, its host
 * size and its Spot Advisor entry (empty when the pool is not in the feed; then {@code priceSource}
 * says what was assumed).
 *
 * @param generatedReclamations the trace had no reclamations and they were generated (see
 *     SyntheticReclamations)
 */
public record PoolMarket(
    CapacityTrace trace,
    double spotToOnDemand,
    double hostRamGiB,
    Optional<AdvisorEntry> advisor,
    String priceSource,
    boolean generatedReclamations) {
  public PoolMarket {
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(advisor, "advisor");
    Objects.requireNonNull(priceSource, "priceSource");
    if (!(spotToOnDemand > 0)) {
      throw new IllegalArgumentException("spotToOnDemand must be positive, got " + spotToOnDemand);
    }
    if (!(hostRamGiB > 0)) {
      throw new IllegalArgumentException("hostRamGiB must be positive, got " + hostRamGiB);
    }
  }
}
