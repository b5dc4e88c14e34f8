package io.spotnest.orchestrator.port;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Move {@code agentId} off {@code hostId} by {@code deadline}; {@code forced} when a notice leaves
 * no choice; {@code to} is the strategy's destination host when it named one that exists (else the
 * orchestrator picks one, or launches on-demand capacity).
 */
public record Evacuation(
    String agentId,
    String hostId,
    Instant deadline,
    boolean forced,
    String reason,
    Optional<String> to) {
  public Evacuation {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(to, "to");
  }

  /** An evacuation whose destination the orchestrator picks. */
  public Evacuation(
      String agentId, String hostId, Instant deadline, boolean forced, String reason) {
    this(agentId, hostId, deadline, forced, reason, Optional.empty());
  }
}
