package io.spotnest.strategy.signal;

import java.time.Instant;
import java.util.Objects;

/** The spot price of the pool, in USD per instance-hour. */
public record SpotPrice(PoolId pool, Instant at, double usdPerHour) implements RiskSignal {
  public SpotPrice {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(at, "at");
    if (!(usdPerHour >= 0) || Double.isInfinite(usdPerHour)) {
      throw new IllegalArgumentException(
          "usdPerHour must be a finite non-negative number, got " + usdPerHour);
    }
  }
}
