package io.spotnest.strategy.eval;

import io.spotnest.strategy.data.AdvisorEntry;
import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.MinuteTimeline;
import io.spotnest.strategy.risk.HazardFitter;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The causal evaluation of the default risk model: fit on the first {@code trainFraction} of every
 * trace, pick the highest threshold that reaches the target recall on that training part, then
 * score the held-out rest.
 */
public final class RiskEvaluation {
  private static final double[] THRESHOLDS = thresholds();

  /** Settings of one evaluation run. */
  public record Settings(
      double trainFraction,
      double targetRecall,
      int horizonMin,
      OptionalInt whatIfRebalanceLeadMin) {
    public Settings {
      if (!(trainFraction > 0 && trainFraction < 1)) {
        throw new IllegalArgumentException("trainFraction must be in (0, 1), got " + trainFraction);
      }
      if (!(targetRecall > 0 && targetRecall <= 1)) {
        throw new IllegalArgumentException("targetRecall must be in (0, 1], got " + targetRecall);
      }
      if (horizonMin < 1) {
        throw new IllegalArgumentException("horizonMin must be >= 1, got " + horizonMin);
      }
      Objects.requireNonNull(whatIfRebalanceLeadMin, "whatIfRebalanceLeadMin");
    }
  }

  /** One pool's held-out result. */
  public record PoolResult(CapacityTrace trace, DetectionMetrics heldOut) {}

  /** The whole report. */
  public record Report(
      Settings settings,
      HazardFitter.Fit fit,
      double threshold,
      DetectionMetrics training,
      DetectionMetrics heldOut,
      List<PoolResult> pools) {}

  public Report run(
      List<CapacityTrace> traces,
      Function<CapacityTrace, Optional<AdvisorEntry>> advisor,
      Settings settings) {
    if (traces.isEmpty()) {
      throw new IllegalArgumentException("at least one trace is needed");
    }
    List<MinuteTimeline> timelines = new ArrayList<>();
    List<HazardFitter.TrainingPool> training = new ArrayList<>();
    for (CapacityTrace t : traces) {
      HazardFitter.TrainingPool pool =
          HazardFitter.TrainingPool.of(t, advisor.apply(t), settings.trainFraction());
      timelines.add(pool.timeline());
      training.add(pool);
    }
    HazardFitter.Fit fit = new HazardFitter().fit(training, HazardParameters.DEFAULTS);
    PoolReplay replay =
        new PoolReplay(
            new HazardRiskModel(fit.parameters()),
            Duration.ofMinutes(settings.horizonMin()),
            settings.whatIfRebalanceLeadMin());
    List<double[]> probabilities = new ArrayList<>();
    for (int k = 0; k < traces.size(); k++) {
      probabilities.add(
          replay.probabilities(traces.get(k), timelines.get(k), advisor.apply(traces.get(k))));
    }
    DetectionScorer scorer = new DetectionScorer(settings.horizonMin());
    double threshold = THRESHOLDS[0];
    for (double th : THRESHOLDS) {
      DetectionMetrics m = scorer.score(probabilities, timelines, 0, settings.trainFraction(), th);
      if (m.events() == 0 || m.recall() >= settings.targetRecall()) {
        threshold = th;
      }
    }
    DetectionMetrics train =
        scorer.score(probabilities, timelines, 0, settings.trainFraction(), threshold);
    DetectionMetrics held =
        scorer.score(probabilities, timelines, settings.trainFraction(), 1, threshold);
    List<PoolResult> pools = new ArrayList<>();
    for (int k = 0; k < traces.size(); k++) {
      pools.add(
          new PoolResult(
              traces.get(k),
              scorer.score(
                  List.of(probabilities.get(k)),
                  List.of(timelines.get(k)),
                  settings.trainFraction(),
                  1,
                  threshold)));
    }
    return new Report(settings, fit, threshold, train, held, List.copyOf(pools));
  }

  private static double[] thresholds() {
    double[] t = new double[60];
    for (int i = 0; i < t.length; i++) {
      t[i] = 0.005 * Math.pow(1.1, i);
    }
    return t;
  }
}
