package io.spotnest.strategy.eval;

/**
 * Precision, recall and lead time of flags {@code p >= threshold} over a period.
 *
 * @param events reclamations in the period
 * @param detected reclamations whose pool was flagged at the last scored minute before the notice
 * @param scoredMinutes minutes scored (pool up, no notice pending)
 * @param flaggedMinutes scored minutes that were flagged
 * @param truePositiveMinutes flagged minutes followed by a reclamation within the horizon
 * @param positiveMinutes scored minutes followed by a reclamation within the horizon (base rate
 *     numerator)
 * @param medianLeadMin median lead over all events; a missed event counts with the notice's 2
 *     minutes
 * @param medianLeadDetectedMin median lead over detected events only (NaN when none)
 */
public record DetectionMetrics(
    double threshold,
    int events,
    int detected,
    long scoredMinutes,
    long flaggedMinutes,
    long truePositiveMinutes,
    long positiveMinutes,
    double medianLeadMin,
    double medianLeadDetectedMin) {

  public double recall() {
    return events == 0 ? Double.NaN : detected / (double) events;
  }

  public double precision() {
    return flaggedMinutes == 0 ? Double.NaN : truePositiveMinutes / (double) flaggedMinutes;
  }

  /** The precision an always-on flag would have. */
  public double baseRate() {
    return scoredMinutes == 0 ? Double.NaN : positiveMinutes / (double) scoredMinutes;
  }

  /**
   * Fraction of scored minutes flagged: the on-demand time an evacuate-on-flag policy would buy.
   */
  public double flaggedFraction() {
    return scoredMinutes == 0 ? Double.NaN : flaggedMinutes / (double) scoredMinutes;
  }
}
