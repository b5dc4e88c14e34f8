package io.spotnest.orchestrator.port;

import java.time.Duration;
import java.util.Objects;

/**
 * An agent as the strategy sees it.
 *
 * @param migrating whether a move of it is under way
 * @param onHostFor how long it has been on its current host
 * @param standingCopy whether its request asked for a standing copy: a standing-copy plan considers
 *     only such agents
 */
public record AgentView(
    String agentId,
    long ramMiB,
    Duration elapsed,
    Duration expectedRemaining,
    boolean migrating,
    Duration onHostFor,
    boolean standingCopy) {
  public AgentView {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(expectedRemaining, "expectedRemaining");
    Objects.requireNonNull(onHostFor, "onHostFor");
  }

  /** An agent that did not ask for a standing copy. */
  public AgentView(
      String agentId,
      long ramMiB,
      Duration elapsed,
      Duration expectedRemaining,
      boolean migrating,
      Duration onHostFor) {
    this(agentId, ramMiB, elapsed, expectedRemaining, migrating, onHostFor, false);
  }

  /**
   * An agent not migrating, whose time on its host is unknown (counted as its build's elapsed
   * time).
   */
  public AgentView(String agentId, long ramMiB, Duration elapsed, Duration expectedRemaining) {
    this(agentId, ramMiB, elapsed, expectedRemaining, false, elapsed, false);
  }
}
