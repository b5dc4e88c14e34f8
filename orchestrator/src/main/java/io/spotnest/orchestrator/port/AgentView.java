package io.spotnest.orchestrator.port;

import java.time.Duration;
import java.util.Objects;

/** An agent as the strategy sees it. */
public record AgentView(String agentId, long ramMiB, Duration elapsed, Duration expectedRemaining) {
  public AgentView {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(expectedRemaining, "expectedRemaining");
  }
}
