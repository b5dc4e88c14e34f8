package io.spotnest.strategy.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The provider's interruption notice for one host: the host will be reclaimed at {@code deadline}.
 */
public record InterruptionNotice(PoolId pool, Instant at, String hostId, Instant deadline)
    implements RiskSignal {
  /** The AWS notice: two minutes before the reclamation. */
  public static final Duration AWS_NOTICE = Duration.ofMinutes(2);

  public InterruptionNotice {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isBefore(at)) {
      throw new IllegalArgumentException(
          "deadline " + deadline + " is before the notice time " + at);
    }
  }
}
