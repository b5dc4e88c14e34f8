package io.spotnest.strategy.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the builds that finished say of a running build's time left. */
class BuildLengthsTest {
  private static final Duration HOUR = Duration.ofHours(1);

  @Test
  void withNoFinishedBuildTheRequestedEstimateMinusElapsedIsTheAnswer() {
    BuildLengths none = new BuildLengths(100);
    assertEquals(Duration.ofMinutes(40), none.remaining(HOUR, Duration.ofMinutes(20)));
    assertEquals(Duration.ZERO, none.remaining(HOUR, Duration.ofMinutes(90)));
    assertEquals(HOUR, none.expected(HOUR));
  }

  @Test
  void anOverrunningBuildIsNotReadAsAboutToFinishWhilePastOnesRanLonger() {
    BuildLengths lengths = new BuildLengths(100);
    lengths.add(Duration.ofMinutes(20));
    lengths.add(Duration.ofMinutes(100));
    lengths.add(Duration.ofMinutes(140));
    // expected 45 min, ran 90: "expected - elapsed" says 0; the builds that ran past 90 min had
    // 10 and 50 min left then
    assertEquals(
        Duration.ofMinutes(30), lengths.remaining(Duration.ofMinutes(45), Duration.ofMinutes(90)));
    // at the start: the mean of all
    assertEquals(Duration.ofMinutes(260).dividedBy(3), lengths.remaining(HOUR, Duration.ZERO));
    assertEquals(Duration.ofMinutes(260).dividedBy(3), lengths.expected(HOUR));
    // past every finished build: expected - elapsed, clamped
    assertEquals(Duration.ZERO, lengths.remaining(HOUR, Duration.ofMinutes(150)));
    assertEquals(
        Duration.ofMinutes(10),
        lengths.remaining(Duration.ofMinutes(160), Duration.ofMinutes(150)));
    // a build exactly as long as the elapsed time has nothing left: it does not count
    assertEquals(Duration.ofMinutes(40), lengths.remaining(HOUR, Duration.ofMinutes(100)));
  }

  @Test
  void onlyTheMostRecentBuildsAreKept() {
    BuildLengths lengths = new BuildLengths(2);
    lengths.add(Duration.ofMinutes(500));
    lengths.add(Duration.ofMinutes(10));
    lengths.add(Duration.ofMinutes(30));
    assertEquals(2, lengths.size());
    assertEquals(Duration.ofMinutes(20), lengths.expected(HOUR));
    assertEquals(Duration.ofMinutes(15), lengths.remaining(HOUR, Duration.ofMinutes(5)));
    assertEquals(
        Duration.ofMinutes(5), lengths.remaining(Duration.ofMinutes(45), Duration.ofMinutes(40)));
  }

  @Test
  void agreesWithTheMeanOverEveryLongerBuildComputedPlainly() {
    Random random = new Random(7);
    BuildLengths lengths = new BuildLengths(50);
    double[] window = new double[50];
    int n = 0;
    for (int i = 0; i < 400; i++) {
      double min = 1 + random.nextDouble() * 300;
      lengths.add(Duration.ofMillis((long) (min * 60_000)));
      window[n % 50] = Math.floor(min * 60_000) / 60_000;
      n++;
      double elapsed = random.nextDouble() * 320;
      double sum = 0;
      int longer = 0;
      for (int k = 0; k < Math.min(n, 50); k++) {
        if (window[k] > elapsed) {
          sum += window[k] - elapsed;
          longer++;
        }
      }
      Duration got = lengths.remaining(HOUR, Duration.ofMillis((long) (elapsed * 60_000)));
      double want = longer > 0 ? sum / longer : Math.max(0, 60 - elapsed);
      assertTrue(
          Math.abs(got.toMillis() / 60_000.0 - want) < 1e-3,
          "at " + elapsed + ": " + got + " vs " + want);
    }
  }

  @Test
  void refusesANegativeLengthAndANonPositiveWindow() {
    assertThrows(IllegalArgumentException.class, () -> new BuildLengths(0));
    assertThrows(
        IllegalArgumentException.class, () -> new BuildLengths(5).add(Duration.ofSeconds(-1)));
  }
}
