package io.spotnest.cli;

import io.spotnest.strategy.data.AdvisorEntry;
import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.MinuteTimeline;
import io.spotnest.strategy.data.SpotAdvisorData;
import io.spotnest.strategy.risk.HazardFitter;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.signal.InterruptionFrequency;
import java.util.ArrayList;
import java.util.List;

/** Fits the default risk model on the first 60% of the given traces (the same split {@code evaluate} uses). */
final class ModelFitting {
  static final double TRAIN_FRACTION = 0.6;

  HazardParameters fit(List<CapacityTrace> traces, SpotAdvisorData advisor) {
    List<HazardFitter.TrainingPool> pools = new ArrayList<>();
    for (CapacityTrace t : traces) {
      MinuteTimeline tl = MinuteTimeline.of(t);
      int bucket = advisor.entry(t.pool().region(), t.pool().instanceType()).map(AdvisorEntry::bucket)
          .orElse(HazardParameters.DEFAULTS.unknownBucket());
      pools.add(new HazardFitter.TrainingPool(tl, new InterruptionFrequency(t.pool(), t.start(), bucket)
          .monthlyFraction(), Math.max(1, (int) (tl.minutes() * TRAIN_FRACTION))));
    }
    return new HazardFitter().fit(pools, HazardParameters.DEFAULTS).parameters();
  }
}
