package io.spotnest.strategy.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The count of reclamations observed in the pool during the {@code window} that ends at {@code at}.
 */
public record RecentReclamations(PoolId pool, Instant at, Duration window, int count)
    implements RiskSignal {
  public RecentReclamations {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, got " + window);
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
  }
}
