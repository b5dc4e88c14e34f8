package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HeartbeatLogTest {

  private static final long MS = 1_000_000L;

  private static HeartbeatLog beatsEvery10MsWithAGap(long gapStartMs, long gapMs, long untilMs) {
    HeartbeatLog log = new HeartbeatLog();
    for (long t = 0; t <= untilMs; t += 10) {
      if (t > gapStartMs && t < gapStartMs + gapMs) {
        continue;
      }
      log.record(t * MS);
    }
    return log;
  }

  @Test
  void the_longest_gap_overlapping_the_window_is_the_pause() {
    HeartbeatLog log = beatsEvery10MsWithAGap(1000, 250, 3000);
    assertEquals(OptionalLong.of(250), log.longestGapMillis(500 * MS, 2000 * MS, 3000 * MS));
    // a gap that starts before the window and ends in it counts; one wholly outside does not
    assertEquals(OptionalLong.of(250), log.longestGapMillis(1100 * MS, 1200 * MS, 3000 * MS));
    assertEquals(OptionalLong.of(10), log.longestGapMillis(1500 * MS, 2500 * MS, 3000 * MS));
  }

  @Test
  void a_gap_still_open_counts_up_to_now() {
    HeartbeatLog log = beatsEvery10MsWithAGap(0, 0, 1000);
    assertEquals(OptionalLong.of(800), log.longestGapMillis(900 * MS, 1500 * MS, 1800 * MS));
  }

  @Test
  void no_beats_means_no_figure() {
    assertTrue(new HeartbeatLog().longestGapMillis(0, 1000 * MS, 2000 * MS).isEmpty());
  }

  @Test
  void only_the_newest_beats_are_kept() {
    HeartbeatLog log = new HeartbeatLog();
    for (long i = 0; i < HeartbeatLog.CAPACITY + 100; i++) {
      log.record(i * 10 * MS);
    }
    assertEquals(HeartbeatLog.CAPACITY + 100, log.count());
    // a window older than what is kept sees no gap it could measure
    assertTrue(log.longestGapMillis(0, 500 * MS, Long.MAX_VALUE).isEmpty());
    assertEquals(
        OptionalLong.of(10), log.longestGapMillis(600_000 * MS, 600_100 * MS, Long.MAX_VALUE));
    assertEquals(HeartbeatLog.CAPACITY, log.countBetween(0, Long.MAX_VALUE));
  }
}
