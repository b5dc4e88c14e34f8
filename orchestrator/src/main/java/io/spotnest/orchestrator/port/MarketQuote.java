package io.spotnest.orchestrator.port;

import io.spotnest.orchestrator.model.PoolKey;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Prices of one pool at one instant.
 *
 * @param interruptionBucket the Spot Advisor bucket (0..4) when known
 */
public record MarketQuote(
    PoolKey pool,
    Instant at,
    double spotUsdPerHour,
    double onDemandUsdPerHour,
    OptionalInt interruptionBucket) {
  public MarketQuote {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(interruptionBucket, "interruptionBucket");
  }

  /** Spot as a fraction of on-demand. */
  public double spotToOnDemand() {
    return onDemandUsdPerHour > 0 ? spotUsdPerHour / onDemandUsdPerHour : 1;
  }
}
