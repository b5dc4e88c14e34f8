package io.spotnest.migration;

/**
 * Turns libvirt's dirty-rate readings into one rate. In page-sampling mode QEMU hashes 512 sampled
 * pages per GiB of RAM, so each sampled page that changed stands for {@value #MIB_PER_SAMPLE} MiB,
 * and it truncates the result to whole MiB/s: a reading of r over p seconds means ⌈r·p/2⌉ changed
 * samples, 2·⌈r·p/2⌉/p MiB/s (a one-second reading of 1 or 2 is one changed sample, 2 MiB/s; 0 is
 * none). The rate is the mean over the readings; its error is that of a count of a few samples, so
 * the engine takes several.
 */
final class DirtyRateReadings {

  static final int MIB_PER_SAMPLE = 2;

  private double sumMiB;
  private int count;

  void add(DirtyRateReading r) {
    if (!r.measured()) {
      throw new IllegalArgumentException("the dirty-rate calculation has not finished: " + r);
    }
    long period = Math.max(1, r.periodSeconds());
    long samples = (r.mibPerSecond() * period + MIB_PER_SAMPLE - 1) / MIB_PER_SAMPLE;
    sumMiB += samples * MIB_PER_SAMPLE / (double) period;
    count++;
  }

  /** The mean rate in bytes per second (0 without readings). */
  long bytesPerSecond() {
    return count == 0 ? 0 : (long) (sumMiB / count * 1024 * 1024);
  }
}
