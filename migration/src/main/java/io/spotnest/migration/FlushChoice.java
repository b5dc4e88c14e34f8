package io.spotnest.migration;

import java.time.Duration;
import java.util.Locale;

/**
 * How a standing copy is flushed on a notice: pure, from what the stream still holds back, the rate
 * it has been moving at, the time to the deadline and what the caller permits. QEMU switches over
 * as soon as the pending bytes fit its downtime limit at its measured bandwidth, so the flush
 * raises the limit to cover the expected pause (twice the estimate, at least the caller's {@link
 * MigrationSettings#maxDowntime()}), never past the budget (80% of the time left, leaving room for
 * the hand-over). When even the expected pause does not fit the budget, post-copy is switched on at
 * once where the caller's {@link PostCopyPolicy} allows; otherwise the limit is raised to the
 * budget and the deadline's abort still guards the source.
 *
 * @param downtime the downtime limit to set
 * @param postCopyNow whether to switch to post-copy at once
 * @param expectedPause the pause the remaining bytes need at the stream's rate
 * @param fits whether the expected pause fits the budget (or post-copy makes it fit)
 * @param reason a sentence for the outcome's notes
 */
public record FlushChoice(
    Duration downtime, boolean postCopyNow, Duration expectedPause, boolean fits, String reason) {

  /** The share of the time left the pause may take; the rest is for libvirt's hand-over. */
  static final double BUDGET_SHARE = 0.8;

  /**
   * @param pendingBytes memory and disk bytes the stream still holds back
   * @param bytesPerSecond the stream's recent rate (0 when unknown: the whole budget is then
   *     allowed)
   * @param timeLeft time to the deadline
   * @param settings the standing copy's settings (its maxDowntime is the floor; its policy permits
   *     post-copy)
   */
  public static FlushChoice choose(
      long pendingBytes, long bytesPerSecond, Duration timeLeft, MigrationSettings settings) {
    Duration floor = settings.maxDowntime();
    Duration budget = Duration.ofMillis(Math.max(1, (long) (timeLeft.toMillis() * BUDGET_SHARE)));
    if (bytesPerSecond <= 0) {
      Duration d = max(floor, budget);
      return new FlushChoice(
          d,
          false,
          budget,
          true,
          "no stream rate measured yet: downtime limit raised to " + d.toMillis() + " ms");
    }
    Duration pause =
        Duration.ofMillis((long) Math.ceil(Math.max(0, pendingBytes) * 1000.0 / bytesPerSecond));
    Duration want = max(floor, pause.multipliedBy(2));
    boolean fits = pause.compareTo(budget) <= 0;
    String figures =
        String.format(
            Locale.ROOT,
            "%d MiB pending at %.1f MiB/s need a pause of %d ms, budget %d ms",
            pendingBytes >> 20,
            bytesPerSecond / 1048576.0,
            pause.toMillis(),
            budget.toMillis());
    if (fits) {
      Duration d = min(want, max(floor, budget));
      return new FlushChoice(
          d, false, pause, true, figures + ": downtime limit raised to " + d.toMillis() + " ms");
    }
    if (settings.postCopy().allowed()) {
      return new FlushChoice(
          max(floor, budget), true, pause, true, figures + ": switching to post-copy");
    }
    Duration d = max(floor, budget);
    return new FlushChoice(
        d,
        false,
        pause,
        false,
        figures
            + ": downtime limit raised to the budget, "
            + d.toMillis()
            + " ms, post-copy not allowed; the deadline's abort guards the source");
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
