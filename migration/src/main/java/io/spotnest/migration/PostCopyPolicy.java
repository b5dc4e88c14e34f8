package io.spotnest.migration;

import java.time.Duration;

/**
 * Whether, and when, a migration may switch from pre-copy to post-copy. After the switch the guest
 * runs on the destination while its remaining pages are pulled from the source, so a source failure
 * then loses the VM: a policy allows it only where that risk is smaller than the risk of missing
 * the reclamation deadline.
 *
 * @param allowed whether post-copy may be used at all
 * @param switchAfter pre-copy time after which the engine switches when the copy has not completed
 */
public record PostCopyPolicy(boolean allowed, Duration switchAfter) {

  public PostCopyPolicy {
    if (switchAfter == null || switchAfter.isNegative()) {
      throw new IllegalArgumentException(
          "postCopy switchAfter must be zero or positive, was " + switchAfter);
    }
  }

  public static PostCopyPolicy never() {
    return new PostCopyPolicy(false, Duration.ZERO);
  }

  /**
   * Post-copy allowed, switched only when the engine's choice ({@link TuningChoice}) or the
   * remaining time demands it.
   */
  public static PostCopyPolicy whenNeeded() {
    return new PostCopyPolicy(true, Duration.ofDays(365));
  }

  /**
   * Switch to post-copy once pre-copy has run this long without completing (an upper bound: the
   * engine switches earlier when its choice or the remaining time demands it).
   */
  public static PostCopyPolicy after(Duration precopy) {
    return new PostCopyPolicy(true, precopy);
  }
}
