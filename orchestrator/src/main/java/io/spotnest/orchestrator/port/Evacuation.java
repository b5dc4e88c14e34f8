package io.spotnest.orchestrator.port;

import java.time.Instant;
import java.util.Objects;

/** Move {@code agentId} off {@code hostId} by {@code deadline}; {@code forced} when a notice leaves no choice. */
public record Evacuation(String agentId, String hostId, Instant deadline, boolean forced, String reason) {
  public Evacuation {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(reason, "reason");
  }
}
