package io.spotnest.orchestrator.tick;

import java.time.Duration;

/**
 * How long a VM removal that failed waits before its next try: {@code first} after the first
 * failure, doubling with each failure in a row, never more than {@code max}. It is tried until it
 * works.
 */
public record RemovalBackoff(Duration first, Duration max) {
  /** 10 seconds, doubling up to 5 minutes. */
  public static final RemovalBackoff DEFAULT =
      new RemovalBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5));

  public RemovalBackoff {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("backoff from " + first + " up to " + max);
    }
  }

  /** The pause after the {@code failures}-th failure in a row (1 or more). */
  public Duration after(int failures) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be at least 1, got " + failures);
    }
    Duration d = first;
    for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) < 0 ? d : max;
  }
}
