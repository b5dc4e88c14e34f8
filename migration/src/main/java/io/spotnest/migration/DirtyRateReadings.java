package io.spotnest.migration;

/**
 * Turns libvirt's dirty-rate readings into one rate. QEMU truncates its figure to whole MiB/s, so a
 * reading of r &gt; 0 stands for r + ½ MiB/s (the middle of what it may have been); a reading of 0
 * over a one-second window means no sampled page changed. The rate is the mean over the readings.
 */
final class DirtyRateReadings {

  private double sumMiB;
  private int count;

  void add(DirtyRateReading r) {
    if (!r.measured()) {
      throw new IllegalArgumentException("the dirty-rate calculation has not finished: " + r);
    }
    sumMiB += r.mibPerSecond() > 0 ? r.mibPerSecond() + 0.5 : 0;
    count++;
  }

  /** The mean rate in bytes per second (0 without readings). */
  long bytesPerSecond() {
    return count == 0 ? 0 : (long) (sumMiB / count * 1024 * 1024);
  }
}
