package io.spotnest.strategy.policy;

/**
 * The price of bytes sent between two zones of a region (issue 12 item 4), billed on both sides:
 * what the simulator charges a cross-zone migration or standing-copy stream, and what the
 * orchestrator counts for a standing copy whose backup is in another zone. Within a zone transfer
 * is free.
 *
 * @param usdPerGBEachWay the provider's price per GB (10^9 bytes) on each side (AWS: $0.01/GB)
 */
public record CrossZoneTransfer(double usdPerGBEachWay) {
  private static final double GB_PER_GIB = 1.073741824;

  public CrossZoneTransfer {
    if (!(usdPerGBEachWay >= 0) || Double.isInfinite(usdPerGBEachWay)) {
      throw new IllegalArgumentException(
          "usdPerGBEachWay must be a finite number >= 0, got " + usdPerGBEachWay);
    }
  }

  /** USD for sending {@code gib} GiB between zones, both sides billed. */
  public double usdFor(double gib) {
    return 2 * usdPerGBEachWay * GB_PER_GIB * gib;
  }

  /**
   * The cost of one GiB sent between zones in a cost unit worth {@code usdPerCostUnit} (the
   * simulator's and the policy's unit is the on-demand GiB-hour).
   */
  public double costPerGiB(double usdPerCostUnit) {
    return usdFor(1) / usdPerCostUnit;
  }

  /**
   * GiB per hour a standing copy's stream sends once its first sync is done: the guest's dirty
   * rate, as the simulator's streams send at their steady state ({@link StandingCopyAssumptions}).
   * The first sync sends the guest's whole memory once more.
   */
  public static double standingStreamGiBPerHour(MigrationAssumptions m) {
    return m.dirtyMiBps() * 3600 / 1024;
  }
}
