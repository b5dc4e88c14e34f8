package io.spotnest.strategy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.MinuteTimeline;
import io.spotnest.strategy.signal.PoolId;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionScorerTest {
  /** Up for minutes 0..59, reclaimed at minute 60, down until 69, up again until 119. */
  private static MinuteTimeline timeline() {
    int[] counts = new int[120];
    Arrays.fill(counts, 0, 60, 1);
    Arrays.fill(counts, 70, 120, 1);
    return MinuteTimeline.of(
        new CapacityTrace("t", new PoolId("m5.large", "us-east-1a"), Instant.EPOCH, 60, counts));
  }

  @Test
  void flagRunningUpToTheNoticeIsDetectedWithItsLead() {
    MinuteTimeline tl = timeline();
    double[] p = new double[120];
    Arrays.fill(p, 0.0);
    Arrays.fill(p, 40, 58, 0.9);
    for (int m = 58; m < 70; m++) {
      p[m] = Double.NaN;
    }
    DetectionMetrics m = new DetectionScorer(15).score(List.of(p), List.of(tl), 0, 1, 0.5);
    assertEquals(1, m.events());
    assertEquals(1, m.detected());
    assertEquals(20.0, m.medianLeadMin());
    // Flagged minutes 40..57: those within 15 min of minute 60 are 45..57 -> 13 of 18.
    assertEquals(18, m.flaggedMinutes());
    assertEquals(13, m.truePositiveMinutes());
  }

  @Test
  void missedEventCountsWithTheNoticeLead() {
    MinuteTimeline tl = timeline();
    double[] p = new double[120];
    for (int m = 58; m < 70; m++) {
      p[m] = Double.NaN;
    }
    DetectionMetrics m = new DetectionScorer(15).score(List.of(p), List.of(tl), 0, 1, 0.5);
    assertEquals(0, m.detected());
    assertEquals(2.0, m.medianLeadMin());
    assertEquals(0.0, m.recall());
  }
}
