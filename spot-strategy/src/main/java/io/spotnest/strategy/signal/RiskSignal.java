package io.spotnest.strategy.signal;

import java.time.Instant;

/**
 * One observation about a spot pool at a point in time. Every signal is immutable and carries the
 * instant at which it became known, so a consumer can refuse anything from the future.
 */
public sealed interface RiskSignal
    permits SpotPrice,
        OnDemandPrice,
        InterruptionFrequency,
        CapacityScore,
        RebalanceRecommendation,
        InterruptionNotice,
        HostAge,
        RecentReclamations,
        Reclamation {

  /** The pool the signal is about. */
  PoolId pool();

  /** When the signal became known. */
  Instant at();
}
