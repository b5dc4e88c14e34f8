package io.spotnest.strategy.signal;

import java.time.Instant;
import java.util.Objects;

/**
 * A spot placement / capacity score where the provider gives one: 1 (unlikely to get capacity) to
 * 10 (likely).
 */
public record CapacityScore(PoolId pool, Instant at, int score) implements RiskSignal {
  public CapacityScore {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(at, "at");
    if (score < 1 || score > 10) {
      throw new IllegalArgumentException("score must be 1..10, got " + score);
    }
  }
}
