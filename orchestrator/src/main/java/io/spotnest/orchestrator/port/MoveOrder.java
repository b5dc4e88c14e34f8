package io.spotnest.orchestrator.port;

import java.time.Instant;
import java.util.Objects;

/**
 * Move agent {@code agentId} from {@code from} to {@code to}, finished by the absolute {@code
 * deadline}.
 */
public record MoveOrder(
    String moveId, String agentId, String from, String to, Instant deadline, boolean forced) {
  public MoveOrder {
    Objects.requireNonNull(moveId, "moveId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(deadline, "deadline");
    if (from.equals(to)) {
      throw new IllegalArgumentException("a move needs two hosts, got " + from + " twice");
    }
  }
}
