package io.spotnest.strategy.risk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.CapacityTraceReader;
import io.spotnest.strategy.data.MinuteTimeline;
import io.spotnest.strategy.data.SharedTestData;
import io.spotnest.strategy.signal.PoolId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HazardFitterTest {
  private final HazardFitter fitter = new HazardFitter();

  @Test
  void fitOnRealTraceIsAtLeastAsLikelyAsTheDefaults() {
    CapacityTrace t = new CapacityTraceReader().read(SharedTestData.aws("us-east-1c"));
    MinuteTimeline tl = MinuteTimeline.of(t);
    List<HazardFitter.TrainingPool> pools =
        List.of(new HazardFitter.TrainingPool(tl, 0.3, tl.minutes() * 6 / 10));
    HazardFitter.Fit fit = fitter.fit(pools, HazardParameters.DEFAULTS);
    assertTrue(fit.logLikelihood() >= fitter.logLikelihood(pools, HazardParameters.DEFAULTS));
    assertTrue(fit.events() > 50);
  }

  @Test
  void recoversAYoungHostEffect() {
    // Synthetic pool: every run of capacity ends after exactly 5 minutes 70% of the time, else
    // after 6 hours.
    int[] counts = new int[60 * 24 * 20];
    int i = 0;
    int run = 0;
    while (i < counts.length) {
      int up = (run++ % 10) < 7 ? 5 : 360;
      for (int k = 0; k < up && i < counts.length; k++) {
        counts[i++] = 1;
      }
      for (int k = 0; k < 3 && i < counts.length; k++) {
        counts[i++] = 0;
      }
    }
    CapacityTrace t =
        new CapacityTrace(
            "synthetic", new PoolId("m5.large", "us-east-1a"), Instant.EPOCH, 60, counts);
    MinuteTimeline tl = MinuteTimeline.of(t);
    HazardFitter.Fit fit =
        fitter.fit(
            List.of(new HazardFitter.TrainingPool(tl, 0.3, tl.minutes())),
            HazardParameters.DEFAULTS.withAge(0, 20));
    assertTrue(fit.parameters().ageAmplitude() >= 4, fit.parameters().toString());
    assertTrue(fit.parameters().ageTauMin() <= 40, fit.parameters().toString());
  }
}
