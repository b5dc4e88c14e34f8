package io.spotnest.strategy.signal;

import java.time.Instant;
import java.util.Objects;

/** The on-demand price of the pool's instance type, in USD per instance-hour. */
public record OnDemandPrice(PoolId pool, Instant at, double usdPerHour) implements RiskSignal {
  public OnDemandPrice {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(at, "at");
    if (!(usdPerHour >= 0) || Double.isInfinite(usdPerHour)) {
      throw new IllegalArgumentException(
          "usdPerHour must be a finite non-negative number, got " + usdPerHour);
    }
  }
}
