package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** libvirt's dirtyrate.* statistics into a rate the planner can trust. */
class DirtyRateReadingTest {

  private static DirtyRateReading reading(String status, String mibPerSecond) {
    return DirtyRateReading.of(
        Map.of(
            "dirtyrate.calc_status",
            status,
            "dirtyrate.calc_period",
            "1",
            "dirtyrate.calc_mode",
            "page-sampling",
            "dirtyrate.megabytes_per_second",
            mibPerSecond));
  }

  @Test
  void a_finished_calculation_is_read_from_the_domain_statistics() {
    DirtyRateReading r = reading("2", "28");
    assertTrue(r.measured());
    assertEquals(28, r.mibPerSecond());
    assertEquals(1, r.periodSeconds());
    assertFalse(reading("1", "0").measured(), "still measuring");
    assertFalse(DirtyRateReading.of(Map.of()).measured(), "never started");
  }

  @Test
  void truncated_readings_stand_for_the_changed_samples_of_2_mib_they_count_plus_one() {
    DirtyRateReadings rs = new DirtyRateReadings();
    rs.add(reading("2", "1")); // one changed sample over a second a little longer than 1 s
    rs.add(reading("2", "0"));
    rs.add(reading("2", "4")); // two changed samples
    rs.add(reading("2", "3")); // two, truncated
    // (1 + 0 + 2 + 2 changed samples, plus one) x 2 MiB over 4 s
    assertEquals(3 * 1048576, rs.bytesPerSecond());
  }

  @Test
  void five_seconds_without_a_changed_sample_read_as_at_most_one_sample() {
    DirtyRateReadings rs = new DirtyRateReadings();
    for (int i = 0; i < 5; i++) {
      rs.add(reading("2", "0"));
    }
    assertEquals(2 * 1048576 / 5, rs.bytesPerSecond());
  }

  @Test
  void an_unfinished_calculation_is_not_a_reading() {
    assertThrows(
        IllegalArgumentException.class, () -> new DirtyRateReadings().add(reading("1", "0")));
    assertEquals(0, new DirtyRateReadings().bytesPerSecond());
  }
}
