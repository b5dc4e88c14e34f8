package io.spotnest.strategy.risk;

import io.spotnest.strategy.signal.InterruptionFrequency;
import io.spotnest.strategy.signal.PoolSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The default, transparent risk model: a per-pool base rate from the Spot Advisor bucket, updated
 * with the reclamations observed in the pool, raised for young hosts, by recent reclamations
 * (bursts), by price pressure above the pool's usual spot/on-demand ratio, by a low capacity score
 * and by a rebalance recommendation.
 */
public final class HazardRiskModel implements RiskModel {
  private final HazardParameters params;

  public HazardRiskModel(HazardParameters params) {
    this.params = Objects.requireNonNull(params, "params");
  }

  public HazardParameters parameters() {
    return params;
  }

  @Override
  public ExponentialHazard assess(PoolSnapshot s) {
    double monthly =
        s.frequency()
            .map(InterruptionFrequency::monthlyFraction)
            .orElseGet(
                () ->
                    new InterruptionFrequency(s.pool(), s.now(), params.unknownBucket())
                        .monthlyFraction());
    double base =
        params.baseRate(
            HazardParameters.priorRatePerHour(monthly),
            s.observedReclamations(),
            s.observedExposure().toMillis() / 3_600_000.0);
    base *= multiplier(s);
    double burstTauH = params.burstTauMin() / 60.0;
    double burst = 0;
    for (Instant r : s.recentReclamations()) {
      double dtH = Duration.between(r, s.now()).toMillis() / 3_600_000.0;
      burst += params.burstBeta() * Math.exp(-dtH / burstTauH);
    }
    double ageH = s.hostAge().map(a -> a.toMillis() / 3_600_000.0).orElse(0.0);
    double noticeIn =
        s.notice()
            .map(n -> Duration.between(s.now(), n.deadline()).toMillis() / 3_600_000.0)
            .orElse(-1.0);
    return new ExponentialHazard(
        base, params.ageAmplitude(), params.ageTauMin() / 60.0, ageH, burst, burstTauH, noticeIn);
  }

  private double multiplier(PoolSnapshot s) {
    double m = 1;
    if (s.spotToOnDemand().isPresent() && s.baselineSpotToOnDemand().isPresent()) {
      double pressure = s.spotToOnDemand().getAsDouble() / s.baselineSpotToOnDemand().getAsDouble();
      m *= Math.min(10, Math.max(0.25, Math.pow(pressure, params.pricePressureExponent())));
    }
    if (s.capacityScore().isPresent()) {
      m *= (11 - s.capacityScore().get().score()) / 5.5;
    }
    if (s.rebalance().isPresent()) {
      m *= params.rebalanceMultiplier();
    }
    return m;
  }
}
