package io.spotnest.orchestrator.model;

import java.util.Objects;

/**
 * A build whose agent VM was lost, with the reason (which host vanished) and the agent requeued for
 * it.
 */
public record LostBuild(String agentId, String hostId, String reason, String requeuedAs) {
  public LostBuild {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(reason, "reason");
  }
}
