package io.spotnest.strategy.risk;

import io.spotnest.strategy.data.AdvisorEntry;
import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.MinuteTimeline;
import io.spotnest.strategy.signal.InterruptionFrequency;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Fits the young-host and burst terms of {@link HazardParameters} (and a base-rate scale) by
 * maximum likelihood on the training minutes of one or more pools, with coordinate search over
 * documented grids. The base rate is updated online exactly as the model does, so the fit sees only
 * the past at every minute.
 */
public final class HazardFitter {
  private static final double[] BASE_SCALES = {0.25, 0.5, 1, 1.5, 2};
  private static final double[] AGE_AMPS = {0, 1, 2, 4, 8, 16};
  private static final double[] AGE_TAUS = {5, 10, 20, 40, 80, 160};
  private static final double[] BURST_BETAS = {0, 0.25, 0.5, 1, 2, 4};
  private static final double[] BURST_TAUS = {10, 30, 60, 120, 240};

  /**
   * One pool's training data: its timeline, its prior monthly fraction and the training end
   * (minutes).
   */
  public record TrainingPool(
      MinuteTimeline timeline, double priorMonthlyFraction, int trainMinutes) {
    public TrainingPool {
      Objects.requireNonNull(timeline, "timeline");
      if (trainMinutes < 1 || trainMinutes > timeline.minutes()) {
        throw new IllegalArgumentException(
            "trainMinutes must be in 1.." + timeline.minutes() + ", got " + trainMinutes);
      }
    }

    /**
     * The first {@code trainFraction} of a trace, with the prior of its Advisor bucket (or the
     * unknown bucket).
     */
    public static TrainingPool of(
        CapacityTrace trace, Optional<AdvisorEntry> advisor, double trainFraction) {
      MinuteTimeline tl = MinuteTimeline.of(trace);
      int bucket =
          advisor.map(AdvisorEntry::bucket).orElse(HazardParameters.DEFAULTS.unknownBucket());
      double monthly =
          new InterruptionFrequency(trace.pool(), trace.start(), bucket).monthlyFraction();
      return new TrainingPool(tl, monthly, Math.max(1, (int) (tl.minutes() * trainFraction)));
    }
  }

  /** The fitted parameters and their log-likelihood per training event. */
  public record Fit(HazardParameters parameters, double logLikelihood, int events) {}

  public Fit fit(List<TrainingPool> pools, HazardParameters start) {
    HazardParameters best = start;
    for (int round = 0; round < 3; round++) {
      List<HazardParameters> scales = new ArrayList<>();
      for (double sc : BASE_SCALES) {
        scales.add(best.withBaseScale(sc));
      }
      best = mostLikely(pools, best, scales);
      List<HazardParameters> ages = new ArrayList<>();
      List<HazardParameters> bursts = new ArrayList<>();
      for (double a : AGE_AMPS) {
        for (double tau : AGE_TAUS) {
          ages.add(best.withAge(a, tau));
        }
      }
      best = mostLikely(pools, best, ages);
      for (double beta : BURST_BETAS) {
        for (double tau : BURST_TAUS) {
          bursts.add(best.withBurst(beta, tau));
        }
      }
      best = mostLikely(pools, best, bursts);
    }
    double bestLl = logLikelihood(pools, best);
    int events = 0;
    for (TrainingPool tp : pools) {
      for (int i = 0; i < tp.timeline().reclamationCount(); i++) {
        if (tp.timeline().reclamation(i) < tp.trainMinutes()) {
          events++;
        }
      }
    }
    return new Fit(best, bestLl, events);
  }

  private HazardParameters mostLikely(
      List<TrainingPool> pools, HazardParameters current, List<HazardParameters> candidates) {
    HazardParameters best = current;
    double bestLl = logLikelihood(pools, current);
    for (HazardParameters p : candidates) {
      double ll = logLikelihood(pools, p);
      if (ll > bestLl) {
        best = p;
        bestLl = ll;
      }
    }
    return best;
  }

  /**
   * Log-likelihood of the training reclamations under {@code p} (point process, one-minute steps).
   */
  public double logLikelihood(List<TrainingPool> pools, HazardParameters p) {
    double ll = 0;
    for (TrainingPool tp : pools) {
      ll += logLikelihood(tp, p);
    }
    return ll;
  }

  private static double logLikelihood(TrainingPool tp, HazardParameters p) {
    MinuteTimeline tl = tp.timeline();
    double prior = HazardParameters.priorRatePerHour(tp.priorMonthlyFraction());
    double burstDecay = Math.exp(-1.0 / p.burstTauMin());
    double burst = 0;
    double exposureH = 0;
    int seen = 0;
    int next = 0;
    double ll = 0;
    double lambda = 0;
    for (int m = 0; m < tp.trainMinutes(); m++) {
      if (tl.up(m)) {
        double base = p.baseRate(prior, seen, exposureH);
        lambda = p.intensity(base, (m - tl.upSince(m)) / 60.0, burst);
        ll -= lambda / 60.0;
        exposureH += 1 / 60.0;
      }
      burst *= burstDecay;
      // An event is scored with the intensity of the last minute the pool was up (the drop minute
      // is down).
      while (next < tl.reclamationCount() && tl.reclamation(next) < m + 1) {
        if (lambda > 0) {
          ll += Math.log(lambda);
        }
        burst += p.burstBeta();
        seen++;
        next++;
      }
    }
    return ll;
  }
}
