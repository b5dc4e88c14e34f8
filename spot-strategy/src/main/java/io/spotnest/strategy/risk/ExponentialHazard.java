package io.spotnest.strategy.risk;

import java.time.Duration;

/**
 * A hazard whose intensity is {@code base·(1 + A·e^-(age+s)/τa) + burst·e^-s/τb} for s ≥ 0 from
 * now, with a pending notice making the reclamation certain at {@code noticeInHours}. Closed form,
 * so any horizon is cheap.
 *
 * @param base base rate per hour (prior, observations, price and score multipliers applied)
 * @param ageAmplitude young-host excess A
 * @param ageTauHours τa in hours
 * @param ageHours current host age in hours
 * @param burstNow current burst intensity per hour
 * @param burstTauHours τb in hours
 * @param noticeInHours hours until a notified reclamation, or a negative number when there is no
 *     notice
 */
public record ExponentialHazard(
    double base,
    double ageAmplitude,
    double ageTauHours,
    double ageHours,
    double burstNow,
    double burstTauHours,
    double noticeInHours)
    implements Hazard {

  /** Expected number of reclamations in the next {@code h} hours (the integrated intensity). */
  public double cumulative(double h) {
    double age =
        base
            * ageAmplitude
            * ageTauHours
            * Math.exp(-ageHours / ageTauHours)
            * (1 - Math.exp(-h / ageTauHours));
    double burst = burstNow * burstTauHours * (1 - Math.exp(-h / burstTauHours));
    return base * h + age + burst;
  }

  /** The intensity per hour right now. */
  public double intensityNow() {
    return base * (1 + ageAmplitude * Math.exp(-ageHours / ageTauHours)) + burstNow;
  }

  @Override
  public double probabilityWithin(Duration horizon) {
    double h = horizon.toMillis() / 3_600_000.0;
    if (h <= 0) {
      return 0;
    }
    if (noticeInHours >= 0 && noticeInHours <= h) {
      return 1;
    }
    return 1 - Math.exp(-cumulative(h));
  }
}
