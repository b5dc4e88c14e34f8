package io.spotnest.migration;

/**
 * Turns libvirt's dirty-rate readings into one rate. In page-sampling mode QEMU hashes 512 sampled
 * pages per GiB of RAM, so each sampled page that changed stands for {@value #MIB_PER_SAMPLE} MiB,
 * and it truncates the result to whole MiB/s: a reading of r over p seconds means ⌈r·p/2⌉ changed
 * samples (a one-second reading of 1 or 2 is one changed sample; 0 is none). The rate is the
 * changed samples of all readings, plus one, times 2 MiB over the seconds measured: a slow dirtier
 * changes only a few samples in a few seconds, and the added sample keeps a count of 0 or 1 from
 * reading as a guest that dirties (almost) nothing.
 */
final class DirtyRateReadings {

  static final int MIB_PER_SAMPLE = 2;

  private long samples;
  private long seconds;

  void add(DirtyRateReading r) {
    if (!r.measured()) {
      throw new IllegalArgumentException("the dirty-rate calculation has not finished: " + r);
    }
    long period = Math.max(1, r.periodSeconds());
    samples += (r.mibPerSecond() * period + MIB_PER_SAMPLE - 1) / MIB_PER_SAMPLE;
    seconds += period;
  }

  /** The rate in bytes per second (0 without readings). */
  long bytesPerSecond() {
    return seconds == 0 ? 0 : (samples + 1) * MIB_PER_SAMPLE * 1048576L / seconds;
  }
}
