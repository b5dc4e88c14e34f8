package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DemoClockTest {

  @Test
  void itRunsFastWhileToldAndAtWallSpeedOtherwiseNeverGoingBack() throws Exception {
    Instant start = Instant.parse("2023-04-22T01:45:00Z");
    DemoClock c = new DemoClock(start);
    c.speed(600);
    Thread.sleep(200);
    Instant fast = c.instant();
    c.speed(1);
    Thread.sleep(200);
    Instant slow = c.instant();

    long fastGain = Duration.between(start, fast).toMillis();
    long slowGain = Duration.between(fast, slow).toMillis();
    assertTrue(
        fastGain >= 100_000, "200 ms at 600x is about 2 trace minutes, got " + fastGain + " ms");
    assertTrue(slowGain >= 150 && slowGain < 5_000, "200 ms at 1x, got " + slowGain + " ms");
  }

  @Test
  void aFastClockStopsAtItsStopUntilToldOtherwise() throws Exception {
    Instant start = Instant.parse("2023-04-22T01:45:00Z");
    Instant notice = start.plusSeconds(30);
    DemoClock c = new DemoClock(start);
    c.speed(600, notice);
    Thread.sleep(200);

    assertEquals(notice, c.instant(), "an event due at the stop is not skipped over");
    c.speed(1);
    Thread.sleep(100);
    assertTrue(c.instant().isAfter(notice), "then it runs on from there");
    assertTrue(c.instant().isBefore(notice.plusSeconds(5)));
  }
}
