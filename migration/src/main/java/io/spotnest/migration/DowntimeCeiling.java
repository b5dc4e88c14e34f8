package io.spotnest.migration;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps a raised downtime limit short enough that a switch-over QEMU starts at any moment ends
 * before the deadline: QEMU sends the last pages with the guest paused and its main lock held, so
 * an abort cannot cut that pause short. The limit may take {@link FlushChoice#BUDGET_SHARE} of the
 * time left; once it would take more it is lowered to three quarters of that share (so it is re-set
 * every few polls, not at each), and it never goes under 1 ms, where QEMU does not switch over.
 */
final class DowntimeCeiling {

  private static final Duration LOWEST = Duration.ofMillis(1);

  private final Instant deadline;
  private Duration applied;

  /**
   * @param applied the limit set now
   * @param deadline when the pause must have ended
   */
  DowntimeCeiling(Duration applied, Instant deadline) {
    this.applied = applied;
    this.deadline = deadline;
  }

  /** The lower limit to set at {@code now}, if the one in force could pause past the deadline. */
  Optional<Duration> lowerAt(Instant now) {
    if (applied.compareTo(LOWEST) <= 0) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, deadline);
    Duration allowed =
        left.isNegative() || left.isZero() ? Duration.ZERO : FlushChoice.budget(left);
    if (applied.compareTo(allowed) <= 0) {
      return Optional.empty();
    }
    Duration lower = allowed.multipliedBy(3).dividedBy(4);
    return Optional.of(lower.compareTo(LOWEST) < 0 ? LOWEST : lower);
  }

  /** The limit now in force (after QEMU took a lower one). */
  void applied(Duration limit) {
    applied = limit;
  }
}
