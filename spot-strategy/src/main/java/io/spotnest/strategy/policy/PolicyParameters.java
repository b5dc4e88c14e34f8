package io.spotnest.strategy.policy;

import java.time.Duration;

/**
 * The economics of the policy, in cost units of one on-demand GiB-hour of host.
 *
 * @param lostBuildHourCost cost of one build-hour lost to a restart (per GiB of the agent, like
 *     compute)
 * @param restartPenalty fixed cost of a restarted build (queueing, a red build, a developer
 *     waiting), per GiB
 * @param expectedOnDemandDwell how long an evacuated agent is expected to stay on on-demand before
 *     moving back
 * @param safetyMargin added to every migration time estimate
 * @param decisionInterval time between two decision ticks
 * @param moveBackMaxRisk move back to spot only when the probability of a reclamation before an
 *     evacuation could finish is at most this
 * @param moveBackMinRemaining do not move back agents with less remaining build time
 * @param consolidateBelow consider a host for consolidation when its used fraction is at most this
 */
public record PolicyParameters(
    double lostBuildHourCost,
    double restartPenalty,
    Duration expectedOnDemandDwell,
    Duration safetyMargin,
    Duration decisionInterval,
    double moveBackMaxRisk,
    Duration moveBackMinRemaining,
    double consolidateBelow) {

  public static final PolicyParameters DEFAULTS =
      new PolicyParameters(
          1.0,
          0.5,
          Duration.ofMinutes(30),
          Duration.ofSeconds(30),
          Duration.ofMinutes(1),
          0.10,
          Duration.ofMinutes(30),
          0.5);

  public PolicyParameters {
    if (!(lostBuildHourCost >= 0) || !(restartPenalty >= 0)) {
      throw new IllegalArgumentException(
          "lostBuildHourCost and restartPenalty must be non-negative");
    }
    for (Duration d :
        new Duration[] {
          expectedOnDemandDwell, safetyMargin, decisionInterval, moveBackMinRemaining
        }) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("durations must be non-negative, got " + d);
      }
    }
    if (decisionInterval.isZero()) {
      throw new IllegalArgumentException("decisionInterval must be positive");
    }
    if (!(moveBackMaxRisk >= 0 && moveBackMaxRisk <= 1)) {
      throw new IllegalArgumentException(
          "moveBackMaxRisk must be in [0, 1], got " + moveBackMaxRisk);
    }
    if (!(consolidateBelow >= 0 && consolidateBelow <= 1)) {
      throw new IllegalArgumentException(
          "consolidateBelow must be in [0, 1], got " + consolidateBelow);
    }
  }
}
