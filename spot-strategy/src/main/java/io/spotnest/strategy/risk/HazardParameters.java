package io.spotnest.strategy.risk;

/**
 * The parameters of {@link HazardRiskModel}; see docs/risk-model.md for the formula. Rates are per
 * hour, time constants in minutes.
 *
 * @param priorWeightHours pseudo-exposure given to the Spot Advisor prior rate before observed data
 *     dominate
 * @param baseScale multiplier on the (prior-updated) base rate
 * @param ageAmplitude extra hazard of a young host, as a multiple of the base rate at age 0
 * @param ageTauMin decay constant of the young-host excess
 * @param burstBeta hazard added by each recent reclamation in the pool, per hour, at the moment it
 *     happened
 * @param burstTauMin decay constant of the burst term
 * @param pricePressureExponent exponent k of (spot/on-demand ÷ usual ratio)^k
 * @param rebalanceMultiplier hazard multiplier while a rebalance recommendation is recent (what-if
 *     only)
 * @param unknownBucket the bucket assumed for pools missing from the Spot Advisor feed
 */
public record HazardParameters(
    double priorWeightHours,
    double baseScale,
    double ageAmplitude,
    double ageTauMin,
    double burstBeta,
    double burstTauMin,
    double pricePressureExponent,
    double rebalanceMultiplier,
    int unknownBucket) {

  /** Documented defaults, used before fitting. */
  public static final HazardParameters DEFAULTS =
      new HazardParameters(24, 1.0, 4, 20, 0.5, 60, 2, 5, 2);

  public HazardParameters {
    positive("priorWeightHours", priorWeightHours);
    positive("baseScale", baseScale);
    nonNegative("ageAmplitude", ageAmplitude);
    positive("ageTauMin", ageTauMin);
    nonNegative("burstBeta", burstBeta);
    positive("burstTauMin", burstTauMin);
    nonNegative("pricePressureExponent", pricePressureExponent);
    if (!(rebalanceMultiplier >= 1) || Double.isInfinite(rebalanceMultiplier)) {
      throw new IllegalArgumentException(
          "rebalanceMultiplier must be a finite number >= 1, got " + rebalanceMultiplier);
    }
    if (unknownBucket < 0 || unknownBucket > 4) {
      throw new IllegalArgumentException("unknownBucket must be 0..4, got " + unknownBucket);
    }
  }

  private static void positive(String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be a finite positive number, got " + v);
    }
  }

  private static void nonNegative(String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be a finite non-negative number, got " + v);
    }
  }

  public HazardParameters withAge(double amplitude, double tauMin) {
    return new HazardParameters(
        priorWeightHours,
        baseScale,
        amplitude,
        tauMin,
        burstBeta,
        burstTauMin,
        pricePressureExponent,
        rebalanceMultiplier,
        unknownBucket);
  }

  public HazardParameters withBurst(double beta, double tauMin) {
    return new HazardParameters(
        priorWeightHours,
        baseScale,
        ageAmplitude,
        ageTauMin,
        beta,
        tauMin,
        pricePressureExponent,
        rebalanceMultiplier,
        unknownBucket);
  }

  public HazardParameters withBaseScale(double scale) {
    return new HazardParameters(
        priorWeightHours,
        scale,
        ageAmplitude,
        ageTauMin,
        burstBeta,
        burstTauMin,
        pricePressureExponent,
        rebalanceMultiplier,
        unknownBucket);
  }

  /** Prior rate per hour from a monthly interruption fraction f: -ln(1 - f) / 720 h. */
  public static double priorRatePerHour(double monthlyFraction) {
    return -Math.log(1 - monthlyFraction) / 720.0;
  }

  /**
   * The base rate after {@code n} reclamations in {@code exposureHours}: a Gamma-Poisson update of
   * the prior.
   */
  public double baseRate(double priorPerHour, int n, double exposureHours) {
    return baseScale * (priorPerHour * priorWeightHours + n) / (priorWeightHours + exposureHours);
  }

  /** Intensity per hour at host age {@code ageH} (hours) with the burst term already summed. */
  public double intensity(double base, double ageH, double burstNow) {
    return base * (1 + ageAmplitude * Math.exp(-ageH * 60 / ageTauMin)) + burstNow;
  }
}
