package io.spotnest.migration;

import java.time.Duration;
import java.util.Locale;

/**
 * How a standing copy is flushed on a notice: pure, from what the stream still holds back, the rate
 * it has been moving at, the time to the deadline and what the caller permits. QEMU switches over
 * as soon as the pending bytes fit its downtime limit at its measured bandwidth, and from then on
 * it sends them with the guest paused and its main lock held, so no abort lands until the pause
 * ends. The flush therefore raises the limit to cover the expected pause (twice the estimate, at
 * least the caller's {@link MigrationSettings#maxDowntime()}) but never past the budget (80% of the
 * time left, leaving room for the hand-over), and the watch lowers it as the deadline nears ({@link
 * DowntimeCeiling}). When the expected pause does not fit the budget, or no rate is known to bound
 * it, post-copy is switched on at once where the caller's {@link PostCopyPolicy} allows; otherwise
 * the flush is refused up front: the limit stays as it stands and the standing stream is cancelled,
 * so the VM runs on where it is.
 *
 * @param downtime the downtime limit to set ({@link Duration#ZERO} when refused: left as it stands)
 * @param postCopyNow whether to switch to post-copy at once
 * @param expectedPause the pause the remaining bytes need at the stream's rate
 * @param fits whether the expected pause fits the budget (or post-copy makes it fit)
 * @param reason a sentence for the outcome's notes
 */
public record FlushChoice(
    Duration downtime, boolean postCopyNow, Duration expectedPause, boolean fits, String reason) {

  /** The share of the time left the pause may take; the rest is for libvirt's hand-over. */
  static final double BUDGET_SHARE = 0.8;

  private static final String REFUSED =
      ": refused up front, post-copy not allowed: the standing stream is cancelled and the VM runs"
          + " on its source";

  /**
   * @param pendingBytes memory and disk bytes the stream still holds back
   * @param bytesPerSecond the stream's recent rate (0 when unknown: the pause cannot be bounded)
   * @param timeLeft time to the deadline
   * @param settings the standing copy's settings (its maxDowntime is the floor; its policy permits
   *     post-copy)
   */
  public static FlushChoice choose(
      long pendingBytes, long bytesPerSecond, Duration timeLeft, MigrationSettings settings) {
    Duration floor = settings.maxDowntime();
    Duration budget = budget(timeLeft);
    boolean postCopy = settings.postCopy().allowed();
    if (bytesPerSecond <= 0) {
      String why = "no stream rate measured yet, so the pause cannot be bounded";
      return postCopy
          ? new FlushChoice(budget, true, budget, true, why + ": switching to post-copy")
          : new FlushChoice(Duration.ZERO, false, budget, false, why + REFUSED);
    }
    Duration pause =
        Duration.ofMillis((long) Math.ceil(Math.max(0, pendingBytes) * 1000.0 / bytesPerSecond));
    String figures =
        String.format(
            Locale.ROOT,
            "%d MiB pending at %.1f MiB/s need a pause of %d ms, budget %d ms",
            pendingBytes >> 20,
            bytesPerSecond / 1048576.0,
            pause.toMillis(),
            budget.toMillis());
    if (pause.compareTo(budget) <= 0) {
      Duration d = min(max(floor, pause.multipliedBy(2)), budget);
      return new FlushChoice(
          d, false, pause, true, figures + ": downtime limit raised to " + d.toMillis() + " ms");
    }
    if (postCopy) {
      return new FlushChoice(budget, true, pause, true, figures + ": switching to post-copy");
    }
    return new FlushChoice(Duration.ZERO, false, pause, false, figures + REFUSED);
  }

  /** The longest pause a switch-over starting with {@code timeLeft} to the deadline may take. */
  static Duration budget(Duration timeLeft) {
    return Duration.ofMillis(Math.max(1, (long) (timeLeft.toMillis() * BUDGET_SHARE)));
  }

  /** Whether the flush is refused: its pause cannot fit the budget and post-copy is not used. */
  public boolean refused() {
    return !fits;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
