package io.spotnest.orchestrator.view;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One live migration the orchestrator started.
 *
 * @param startedAt when it was journaled (null in journals older than that field)
 * @param reason why: the strategy's reason, {@code interruption notice}, or {@code operator: …}
 *     (null when unknown)
 * @param forced whether it ran in the forced (notice) lane
 * @param sourceRisk the source pool's risk at the start (0 on demand, null when unknown)
 * @param outcome where it stands
 * @param runningOn where the VM runs after it (null while in flight or when lost)
 * @param took how long the run took, by the mover (null while in flight or unknown)
 * @param paused the guest's switch-over pause, by the mover (null while in flight or unknown)
 */
public record MoveRecord(
    String moveId,
    String agentId,
    String from,
    String to,
    Instant startedAt,
    String reason,
    boolean forced,
    Double sourceRisk,
    Outcome outcome,
    String runningOn,
    Duration took,
    Duration paused,
    String detail) {
  public MoveRecord {
    Objects.requireNonNull(moveId, "moveId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** This move, ended as {@code outcome}, with what its end reported. */
  public MoveRecord ended(
      Outcome outcome, String runningOn, Duration took, Duration paused, String detail) {
    return new MoveRecord(
        moveId,
        agentId,
        from,
        to,
        startedAt,
        reason,
        forced,
        sourceRisk,
        outcome,
        runningOn,
        took,
        paused,
        detail);
  }

  /** Where a move stands. */
  public enum Outcome {
    IN_FLIGHT,
    /** The VM runs on the destination. */
    MOVED,
    /** The VM stayed on the source (aborted, refused, destination lost). */
    STAYED,
    /** The VM and its build were lost. */
    LOST
  }
}
