package io.spotnest.orchestrator.model;

import io.spotnest.orchestrator.port.CopyOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * A standing copy the orchestrator asked for and has not seen end: agent {@code agentId}, running
 * on {@code from}, keeps a near-current copy on {@code backup}. A standby in RAM ({@code
 * fileStandby} false) has its memory reserved there like a move's; one in a file takes its memory
 * in the backup's standby store (disk) and RAM only for its flush, which {@link FleetState#usedMiB}
 * counts once per source host.
 */
public record StandingCopy(
    String copyId, String agentId, String from, String backup, Instant since, boolean fileStandby) {
  /** A standby in RAM. */
  public StandingCopy(String copyId, String agentId, String from, String backup, Instant since) {
    this(copyId, agentId, from, backup, since, false);
  }

  public StandingCopy {
    Objects.requireNonNull(copyId, "copyId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(backup, "backup");
  }

  /** The mover's order for this copy. */
  public CopyOrder order() {
    return new CopyOrder(copyId, agentId, from, backup, fileStandby);
  }
}
