package io.spotnest.migration;

import java.util.Map;

/**
 * One finished or running dirty-rate calculation as libvirt reports it in the {@code dirtyrate.*}
 * fields of the domain's statistics.
 *
 * @param status {@code dirtyrate.calc_status}: 0 not started, 1 measuring, 2 measured
 * @param mibPerSecond {@code dirtyrate.megabytes_per_second}, QEMU's figure truncated to whole
 *     MiB/s
 * @param periodSeconds {@code dirtyrate.calc_period}
 */
record DirtyRateReading(int status, long mibPerSecond, long periodSeconds) {

  static final int MEASURED = 2;

  static DirtyRateReading of(Map<String, String> stats) {
    return new DirtyRateReading(
        (int) number(stats, "dirtyrate.calc_status"),
        number(stats, "dirtyrate.megabytes_per_second"),
        number(stats, "dirtyrate.calc_period"));
  }

  boolean measured() {
    return status == MEASURED;
  }

  private static long number(Map<String, String> stats, String field) {
    String v = stats.get(field);
    if (v == null || v.isBlank()) {
      return 0;
    }
    return Long.parseLong(v.trim());
  }
}
