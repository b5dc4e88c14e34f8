package io.spotnest.cli;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.SpotAdvisorData;
import io.spotnest.strategy.risk.HazardFitter;
import io.spotnest.strategy.risk.HazardParameters;
import java.util.List;

/**
 * Fits the default risk model on the first 60% of the given traces (the same split {@code evaluate}
 * uses), or on whole other traces.
 */
final class ModelFitting {
  static final double TRAIN_FRACTION = 0.6;

  HazardParameters fit(List<CapacityTrace> traces, SpotAdvisorData advisor) {
    return fit(traces, advisor, TRAIN_FRACTION);
  }

  /**
   * Fits on the first {@code fraction} of each trace (1 = the whole trace, for traces that are not
   * simulated).
   */
  HazardParameters fit(List<CapacityTrace> traces, SpotAdvisorData advisor, double fraction) {
    List<HazardFitter.TrainingPool> pools =
        traces.stream()
            .map(
                t ->
                    HazardFitter.TrainingPool.of(
                        t, advisor.entry(t.pool().region(), t.pool().instanceType()), fraction))
            .toList();
    return new HazardFitter().fit(pools, HazardParameters.DEFAULTS).parameters();
  }
}
