package io.spotnest.orchestrator.port;

import io.spotnest.strategy.fleet.CopyRequest;
import java.time.Duration;
import java.util.Objects;

/**
 * An agent as the strategy sees it.
 *
 * @param migrating whether a move of it is under way
 * @param onHostFor how long it has been on its current host
 * @param copy what its request said about a standing copy: a standing-copy plan considers only the
 *     agents it may copy in its mode ({@link io.spotnest.strategy.fleet.CopyMode#mayCopy})
 * @param copied whether it keeps a standing copy on a backup that a notice may flush now: it is
 *     protected, a notice only needs that flush (the strategy does not move it early)
 */
public record AgentView(
    String agentId,
    long ramMiB,
    Duration elapsed,
    Duration expectedRemaining,
    boolean migrating,
    Duration onHostFor,
    CopyRequest copy,
    boolean copied) {
  public AgentView {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(copy, "copy");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(expectedRemaining, "expectedRemaining");
    Objects.requireNonNull(onHostFor, "onHostFor");
  }

  /** Whether its request asked for a standing copy. */
  public boolean standingCopy() {
    return copy == CopyRequest.ASKED;
  }

  /**
   * An agent not migrating, whose time on its host is unknown (counted as its build's elapsed
   * time).
   */
  public AgentView(String agentId, long ramMiB, Duration elapsed, Duration expectedRemaining) {
    this(agentId, ramMiB, elapsed, expectedRemaining, false, elapsed, CopyRequest.REFUSED, false);
  }
}
