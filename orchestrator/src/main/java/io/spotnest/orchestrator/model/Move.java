package io.spotnest.orchestrator.model;

import io.spotnest.orchestrator.lifecycle.AgentPhase;
import java.time.Instant;
import java.util.Objects;

/**
 * A live migration the orchestrator started and has not seen end.
 *
 * @param resumePhase the phase the agent returns to when the move ends (online or busy)
 * @param sourceMemory the agent's memory backing on {@code from}, which it keeps when the move ends
 *     with the VM still there (a failed flush of a file-backed standby never ran from its shared
 *     file)
 */
public record Move(
    String moveId,
    String agentId,
    String from,
    String to,
    Instant deadline,
    boolean forced,
    AgentPhase resumePhase,
    MemoryBacking sourceMemory) {
  public Move {
    Objects.requireNonNull(moveId, "moveId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(resumePhase, "resumePhase");
    Objects.requireNonNull(sourceMemory, "sourceMemory");
  }
}
