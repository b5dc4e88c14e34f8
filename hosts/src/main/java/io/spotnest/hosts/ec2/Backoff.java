package io.spotnest.hosts.ec2;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with equal jitter: attempt n waits between half and all of min(max, base *
 * 2^(n-1)).
 *
 * @param base first delay
 * @param max largest delay
 */
public record Backoff(Duration base, Duration max) {
  public Backoff {
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("retry.baseDelay: must be positive, got " + base);
    }
    if (max.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "retry.maxDelay: must be at least retry.baseDelay, got " + max);
    }
  }

  /** Delay before retry number {@code attempt} (1-based). */
  public Duration delay(int attempt, RandomGenerator random) {
    long cap = max.toMillis();
    long exp = base.toMillis() << Math.min(attempt - 1, 30);
    long full = exp <= 0 ? cap : Math.min(cap, exp);
    long half = full / 2;
    return Duration.ofMillis(half + (full - half == 0 ? 0 : random.nextLong(full - half + 1)));
  }
}
