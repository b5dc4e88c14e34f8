package io.spotnest.strategy.signal;

import java.time.Instant;
import java.util.Objects;

/**
 * The provider's "elevated risk" recommendation for a host of the pool. A risk signal, not an order
 * (R6).
 */
public record RebalanceRecommendation(PoolId pool, Instant at, String hostId)
    implements RiskSignal {
  public RebalanceRecommendation {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(hostId, "hostId");
  }
}
