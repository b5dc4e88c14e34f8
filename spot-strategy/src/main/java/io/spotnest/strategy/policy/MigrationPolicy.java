package io.spotnest.strategy.policy;

import io.spotnest.strategy.risk.Hazard;
import io.spotnest.strategy.signal.InterruptionNotice;
import java.time.Duration;
import java.util.Objects;

/**
 * Decides per agent by expected cost. Staying risks {@code P(reclaim before an evacuation started
 * at the next tick could finish) × (lost build time + restart penalty)}; leaving costs the
 * on-demand premium for the expected dwell on on-demand. An evacuation that fits in the provider's
 * notice is free insurance, so such agents stay.
 */
public final class MigrationPolicy {
  private final PolicyParameters params;
  private final MigrationTimeEstimator estimator;

  public MigrationPolicy(PolicyParameters params, MigrationTimeEstimator estimator) {
    this.params = Objects.requireNonNull(params, "params");
    this.estimator = Objects.requireNonNull(estimator, "estimator");
  }

  public PolicyParameters parameters() {
    return params;
  }

  /**
   * Time to get this host's agents out if we start now: destination readiness plus the link
   * draining its RAM.
   */
  public Duration timeToEvacuate(AgentContext c) {
    return c.destinationReadyIn()
        .plus(estimator.estimate(c.hostRamToEvacuate(), 1))
        .plus(params.safetyMargin());
  }

  /** STAY or MIGRATE_OUT for an agent on a spot host. */
  public Decision decide(AgentContext c) {
    Duration need = timeToEvacuate(c);
    if (c.notice().isPresent()) {
      return new Decision.MigrateOut(c.notice().get().deadline(), true, "interruption notice");
    }
    if (need.compareTo(InterruptionNotice.AWS_NOTICE) <= 0) {
      return new Decision.Stay("evacuable within the notice (" + need.toSeconds() + " s)");
    }
    double pLoss = c.hazard().probabilityWithin(need.plus(params.decisionInterval()));
    double loss =
        c.agentRamGiB()
            * (hours(c.elapsed()) * params.lostBuildHourCost() + params.restartPenalty());
    double odHours = Math.min(hours(c.expectedRemaining()), hours(params.expectedOnDemandDwell()));
    double premium = c.agentRamGiB() * (1 - c.spotToOnDemand()) * odHours;
    if (pLoss * loss > premium) {
      return new Decision.MigrateOut(
          c.now().plus(need),
          false,
          String.format(
              java.util.Locale.ROOT,
              "expected loss %.3f > premium %.3f (P=%.3f within %d s)",
              pLoss * loss,
              premium,
              pLoss,
              need.toSeconds()));
    }
    return new Decision.Stay("expected loss below premium");
  }

  /**
   * Whether a fresh agent of {@code ramGiB} expected to run {@code duration} should start on spot
   * in a pool with this hazard: the same comparison as {@link #decide}, for the whole build, with
   * nothing elapsed yet.
   */
  public boolean placeOnSpot(
      double ramGiB, Duration duration, Hazard hazard, double spotToOnDemand) {
    if (spotToOnDemand >= 1) {
      return false;
    }
    double p = hazard.probabilityWithin(duration);
    double expectedLoss =
        p * ramGiB * (hours(duration) / 2 * params.lostBuildHourCost() + params.restartPenalty());
    double saving = ramGiB * (1 - spotToOnDemand) * hours(duration);
    return expectedLoss < saving && hazard.p15() < 0.5;
  }

  /**
   * As {@link #placeOnSpot(double, Duration, Hazard, double)} when the build can be protected by a
   * standing copy costing {@code copyCostPerHour}: the risk it carries on spot is the cheaper of
   * its expected loss and the copy's cost over the whole build.
   */
  public boolean placeOnSpot(
      double ramGiB,
      Duration duration,
      Hazard hazard,
      double spotToOnDemand,
      double copyCostPerHour) {
    if (spotToOnDemand >= 1) {
      return false;
    }
    double p = hazard.probabilityWithin(duration);
    double expectedLoss =
        p * ramGiB * (hours(duration) / 2 * params.lostBuildHourCost() + params.restartPenalty());
    double risk = Math.min(expectedLoss, copyCostPerHour * hours(duration));
    double saving = ramGiB * (1 - spotToOnDemand) * hours(duration);
    return risk < saving && hazard.p15() < 0.5;
  }

  /**
   * Whether an agent on a spot host should keep a standing copy that costs {@code copyCostPerHour}
   * (backup share and stream traffic): its expected loss without one over the next hour (or what is
   * left of its build, if less), {@code P(reclaim within it) x RAM x ((elapsed + half of it) x
   * lostBuildHourCost + restartPenalty)}, exceeds the copy's cost over the same time.
   */
  public boolean wantsStandingCopy(AgentContext c, double copyCostPerHour) {
    Duration horizon =
        c.expectedRemaining().compareTo(Duration.ofHours(1)) < 0
            ? c.expectedRemaining()
            : Duration.ofHours(1);
    if (horizon.isZero() || horizon.isNegative()) {
      return false;
    }
    return expectedLossWithin(c, horizon) > copyCostPerHour * hours(horizon);
  }

  /** Expected cost of a restart within {@code horizon} for this agent, in cost units. */
  public double expectedLossWithin(AgentContext c, Duration horizon) {
    double p = c.hazard().probabilityWithin(horizon);
    return p
        * c.agentRamGiB()
        * ((hours(c.elapsed()) + hours(horizon) / 2) * params.lostBuildHourCost()
            + params.restartPenalty());
  }

  /**
   * MOVE_BACK or STAY for an agent now on on-demand: {@code onSpot} describes it as if it ran on
   * the candidate spot host. It moves back when enough build time remains and, on that host, {@link
   * #decide} would keep it with room to spare: the expected loss is at most half the premium
   * (hysteresis against churn).
   */
  public Decision moveBack(AgentContext onSpot) {
    if (onSpot.expectedRemaining().compareTo(params.moveBackMinRemaining()) < 0) {
      return new Decision.Stay("too little build time left to pay back a move");
    }
    if (onSpot.notice().isPresent() || onSpot.spotToOnDemand() >= 1) {
      return new Decision.Stay("spot pool not usable");
    }
    Duration need = timeToEvacuate(onSpot);
    double pLoss =
        need.compareTo(InterruptionNotice.AWS_NOTICE) <= 0
            ? 0
            : onSpot.hazard().probabilityWithin(need.plus(params.decisionInterval()));
    if (pLoss > params.moveBackMaxRisk()) {
      return new Decision.Stay("spot pool not yet safe");
    }
    double loss =
        onSpot.agentRamGiB()
            * (hours(onSpot.elapsed()) * params.lostBuildHourCost() + params.restartPenalty());
    double odHours =
        Math.min(hours(onSpot.expectedRemaining()), hours(params.expectedOnDemandDwell()));
    double premium = onSpot.agentRamGiB() * (1 - onSpot.spotToOnDemand()) * odHours;
    if (pLoss * loss > premium / 2) {
      return new Decision.Stay("expected loss on spot above half the premium");
    }
    return new Decision.MoveBack(
        onSpot.pool(),
        String.format(java.util.Locale.ROOT, "P=%.3f within %d s", pLoss, need.toSeconds()));
  }

  /**
   * CONSOLIDATE when both hosts are at most half used and the source's agents fit on the target.
   */
  public boolean shouldConsolidate(
      double sourceUsedGiB, double sourceCapGiB, double targetUsedGiB, double targetCapGiB) {
    return sourceUsedGiB > 0
        && sourceUsedGiB / sourceCapGiB <= params.consolidateBelow()
        && targetUsedGiB / targetCapGiB <= params.consolidateBelow()
        && sourceUsedGiB + targetUsedGiB <= targetCapGiB;
  }

  private static double hours(Duration d) {
    return d.toMillis() / 3_600_000.0;
  }
}
