package io.spotnest.strategy.fleet;

import java.util.Objects;

/**
 * Whether an agent on a spot host should keep a standing copy on a backup host (issue 12 Part C):
 * the caller starts a copy where {@code keep} is true and none runs, and stops one where it is
 * false.
 *
 * @param agentId the caller's id of the agent
 * @param hostId the spot host it runs on
 * @param keep whether it should have a standing copy
 * @param reason why, for logs
 */
public record CopyDecision(String agentId, String hostId, boolean keep, String reason) {
  public CopyDecision {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(reason, "reason");
  }
}
