package io.spotnest.strategy.signal;

import java.time.Instant;
import java.util.Objects;

/**
 * The Spot Advisor interruption-frequency bucket of a pool: 0 "&lt;5%", 1 "5-10%", 2 "10-15%", 3
 * "15-20%", 4 "&gt;20%" of instances interrupted per month.
 */
public record InterruptionFrequency(PoolId pool, Instant at, int bucket) implements RiskSignal {
  /** Number of buckets in the Spot Advisor feed. */
  public static final int BUCKETS = 5;

  public InterruptionFrequency {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(at, "at");
    if (bucket < 0 || bucket >= BUCKETS) {
      throw new IllegalArgumentException("bucket must be 0.." + (BUCKETS - 1) + ", got " + bucket);
    }
  }

  /**
   * A representative monthly interruption fraction of the bucket (mid-point; 30% for the open
   * "&gt;20%").
   */
  public double monthlyFraction() {
    return switch (bucket) {
      case 0 -> 0.025;
      case 1 -> 0.075;
      case 2 -> 0.125;
      case 3 -> 0.175;
      default -> 0.30;
    };
  }
}
