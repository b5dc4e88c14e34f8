package io.spotnest.strategy.policy;

import java.util.Objects;

/** The policy's decision for one agent on one host. */
public record AgentDecision(String hostId, String agentId, Decision decision) {
  public AgentDecision {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(decision, "decision");
  }
}
