package io.spotnest.strategy.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long a host of the pool has been running at {@code at}. In the 1-node traces the observed
 * instance is relaunched as soon as capacity returns, so its age equals the pool's
 * continuous-capacity age.
 */
public record HostAge(PoolId pool, Instant at, String hostId, Duration age) implements RiskSignal {
  public HostAge {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(age, "age");
    if (age.isNegative()) {
      throw new IllegalArgumentException("age must not be negative, got " + age);
    }
  }
}
