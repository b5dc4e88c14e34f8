package io.spotnest.strategy.sim;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.risk.HazardParameters;
import java.util.SplittableRandom;

/**
 * Generates reclamations for a trace that holds none, seeded: a Poisson process at the Spot Advisor
 * bucket's rate ({@code -ln(1-f)/720 h}) times the price-pressure factor, run only while the trace
 * has capacity; each reclamation triggers a follow-up within 10 minutes with probability 0.5
 * (bursts), and capacity returns after an outage drawn from an exponential with a 10-minute mean.
 */
public final class SyntheticReclamations {
  /** Probability that a reclamation is followed by another in the same burst. */
  public static final double BURST_PROBABILITY = 0.5;

  /** Window of a burst follow-up, seconds. */
  public static final int BURST_WINDOW_SECONDS = 600;

  /** Mean outage after a reclamation, seconds. */
  public static final int MEAN_OUTAGE_SECONDS = 600;

  public CapacityTrace generate(
      CapacityTrace trace, double monthlyFraction, double priceFactor, long seed) {
    if (!(priceFactor > 0)) {
      throw new IllegalArgumentException("priceFactor must be positive, got " + priceFactor);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    double ratePerSecond = HazardParameters.priorRatePerHour(monthlyFraction) * priceFactor / 3600;
    int[] counts = trace.counts();
    int gap = trace.gapSeconds();
    double next = -Math.log(1 - rnd.nextDouble()) / ratePerSecond;
    double upSeconds = 0;
    for (int i = 1; i < counts.length; i++) {
      if (counts[i - 1] == 0) {
        continue;
      }
      upSeconds += gap;
      if (upSeconds < next) {
        continue;
      }
      int outageTicks =
          Math.max(
              1, (int) Math.round(-Math.log(1 - rnd.nextDouble()) * MEAN_OUTAGE_SECONDS / gap));
      for (int k = i; k < Math.min(counts.length, i + outageTicks); k++) {
        counts[k] = 0;
      }
      i += outageTicks - 1;
      upSeconds = 0;
      next =
          rnd.nextDouble() < BURST_PROBABILITY
              ? rnd.nextDouble() * BURST_WINDOW_SECONDS
              : -Math.log(1 - rnd.nextDouble()) / ratePerSecond;
    }
    return new CapacityTrace(trace.name() + "+generated", trace.pool(), trace.start(), gap, counts);
  }
}
