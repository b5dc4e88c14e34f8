package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PendingPeakTest {

  private static final long MIB = 1 << 20;

  private static MigrationProgress sample(long ms, long remainingMib, long pass) {
    return new MigrationProgress(
        Duration.ofMillis(ms), ms * MIB / 100, remainingMib * MIB, 0, 0, 16 * MIB, pass, false);
  }

  @Test
  void a_sample_taken_at_the_end_of_a_pass_does_not_hide_what_the_next_switch_over_must_move() {
    // the guest re-dirties 16 MiB each pass; a pass starts with it pending and ends near 0
    PendingPeak peak = new PendingPeak();
    peak.add(sample(1000, 16, 4));
    peak.add(sample(1500, 9, 4));
    peak.add(sample(2000, 3, 4));
    peak.add(sample(2600, 15, 5));
    peak.add(sample(3100, 7, 5));
    peak.add(sample(3600, 0, 5));
    // the CI failure of 2026-12-01: the last sample read 0 MiB pending, the flush raised the
    // limit to 300 ms, and QEMU never switched over
    assertEquals(16 * MIB, peak.pendingBytes());
  }

  @Test
  void only_the_current_and_the_previous_pass_count() {
    PendingPeak peak = new PendingPeak();
    peak.add(sample(1000, 200, 1)); // the first pass: the whole memory
    peak.add(sample(2000, 6, 2));
    peak.add(sample(2500, 5, 3));
    assertEquals(6 * MIB, peak.pendingBytes());
  }

  @Test
  void the_disk_still_to_copy_counts_too() {
    PendingPeak peak = new PendingPeak();
    peak.add(
        new MigrationProgress(Duration.ofSeconds(1), 0, 2 * MIB, 10 * MIB, 3 * MIB, 0, 3, false));
    assertEquals(5 * MIB, peak.pendingBytes());
  }

  @Test
  void nothing_is_pending_before_the_first_sample() {
    assertEquals(0, new PendingPeak().pendingBytes());
  }
}
