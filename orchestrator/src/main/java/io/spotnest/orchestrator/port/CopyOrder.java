package io.spotnest.orchestrator.port;

import java.util.Objects;

/**
 * Keep a standing copy {@code copyId} of agent {@code agentId}, which runs on {@code from}, on the
 * backup host {@code backup}: a live-migration stream that keeps the backup's copy near-current and
 * does not finish on its own (issue 12). With {@code fileStandby} the backup holds the copy's
 * memory in a file (the VM's RAM must be a file on {@code from}); without, in its RAM. The mover
 * keeps exactly the standby it is ordered (journaled before), or refuses the copy.
 */
public record CopyOrder(
    String copyId, String agentId, String from, String backup, boolean fileStandby) {
  /** A copy whose standby is held in the backup's RAM. */
  public CopyOrder(String copyId, String agentId, String from, String backup) {
    this(copyId, agentId, from, backup, false);
  }

  public CopyOrder {
    Objects.requireNonNull(copyId, "copyId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(backup, "backup");
    if (from.equals(backup)) {
      throw new IllegalArgumentException("a standing copy needs another host, got " + from);
    }
  }
}
