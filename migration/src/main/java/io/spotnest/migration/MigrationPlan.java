package io.spotnest.migration;

import java.time.Duration;

/**
 * What a migration is expected to cost, computed before it starts.
 *
 * @param inputs the measurements it was computed from
 * @param settings the settings it assumes
 * @param predictedTotal time from start to the guest running on the destination
 * @param predictedDowntime pause at switch-over
 * @param predictedBytes bytes sent (memory and disk)
 * @param predictedIterations pre-copy passes over memory
 * @param usesPostCopy whether the prediction relies on switching to post-copy
 * @param feasible whether it completes within the deadline
 * @param reason why it is infeasible (empty when feasible)
 */
public record MigrationPlan(
    MigrationInputs inputs,
    MigrationSettings settings,
    Duration predictedTotal,
    Duration predictedDowntime,
    long predictedBytes,
    int predictedIterations,
    boolean usesPostCopy,
    boolean feasible,
    String reason) {

  @Override
  public String toString() {
    return String.format(
        "plan: %s in %.1f s (downtime %d ms, %d MiB, %d passes%s) against a deadline of %.1f s%s",
        feasible ? "completes" : "misses",
        predictedTotal.toMillis() / 1000.0,
        predictedDowntime.toMillis(),
        predictedBytes >> 20,
        predictedIterations,
        usesPostCopy ? ", post-copy" : "",
        inputs.deadline().toMillis() / 1000.0,
        feasible ? "" : ": " + reason);
  }
}
