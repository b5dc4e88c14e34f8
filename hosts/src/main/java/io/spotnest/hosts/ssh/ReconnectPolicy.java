package io.spotnest.hosts.ssh;

import java.time.Duration;
import java.util.Objects;

/**
 * How a dropped SSH session is re-established: attempt n waits min(maxDelay, firstDelay * 2^(n-1));
 * after {@code giveUpAfter} without a session the host counts as lost.
 *
 * @param firstDelay wait before the second attempt (the first is immediate)
 * @param maxDelay longest wait between attempts
 * @param giveUpAfter how long the host may stay unreachable before it is reported gone
 */
public record ReconnectPolicy(Duration firstDelay, Duration maxDelay, Duration giveUpAfter) {
  /** 1 s, doubling up to 30 s, for at most 3 minutes. */
  public static final ReconnectPolicy STANDARD =
      new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(3));

  public ReconnectPolicy {
    Objects.requireNonNull(firstDelay, "firstDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(giveUpAfter, "giveUpAfter");
    if (firstDelay.isNegative() || firstDelay.isZero()) {
      throw new IllegalArgumentException(
          "reconnect.firstDelay: must be positive, got " + firstDelay);
    }
    if (maxDelay.compareTo(firstDelay) < 0) {
      throw new IllegalArgumentException(
          "reconnect.maxDelay: must be at least reconnect.firstDelay, got " + maxDelay);
    }
    if (giveUpAfter.isNegative()) {
      throw new IllegalArgumentException(
          "reconnect.giveUpAfter: must not be negative, got " + giveUpAfter);
    }
  }

  /** Wait after failed attempt number {@code attempt} (1-based). */
  public Duration delayAfter(int attempt) {
    long first = firstDelay.toMillis();
    long exp = first << Math.min(attempt - 1, 30);
    return Duration.ofMillis(exp <= 0 ? maxDelay.toMillis() : Math.min(maxDelay.toMillis(), exp));
  }
}
