package io.spotnest.strategy.data;

/**
 * One Spot Advisor pool: saving in % versus on-demand over the last 30 days, and the interruption
 * bucket.
 */
public record AdvisorEntry(int savingPct, int bucket) {
  public AdvisorEntry {
    if (savingPct < -1000 || savingPct > 100) {
      throw new IllegalArgumentException(
          "savingPct must be -1000..100 (negative: spot above on-demand), got " + savingPct);
    }
    if (bucket < 0 || bucket > 4) {
      throw new IllegalArgumentException("bucket must be 0..4, got " + bucket);
    }
  }

  /** Spot price as a fraction of on-demand. */
  public double spotToOnDemand() {
    return 1 - savingPct / 100.0;
  }
}
