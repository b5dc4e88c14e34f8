package io.spotnest.orchestrator.model;

import io.spotnest.orchestrator.port.CopyOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * A standing copy the orchestrator asked for and has not seen end: agent {@code agentId}, running
 * on {@code from}, keeps a near-current copy on {@code backup}, where its memory is reserved like a
 * move's.
 */
public record StandingCopy(
    String copyId, String agentId, String from, String backup, Instant since) {
  public StandingCopy {
    Objects.requireNonNull(copyId, "copyId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(backup, "backup");
  }

  /** The mover's order for this copy. */
  public CopyOrder order() {
    return new CopyOrder(copyId, agentId, from, backup);
  }
}
