package io.spotnest.orchestrator.port;

import java.util.Objects;

/**
 * Keep a standing copy {@code copyId} of agent {@code agentId}, which runs on {@code from}, on the
 * backup host {@code backup}: a live-migration stream that keeps the backup's copy near-current and
 * does not finish on its own (issue 12).
 */
public record CopyOrder(String copyId, String agentId, String from, String backup) {
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
