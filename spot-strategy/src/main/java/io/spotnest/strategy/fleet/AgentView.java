package io.spotnest.strategy.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * An agent VM as the fleet strategy sees it.
 *
 * @param id the caller's id of the agent
 * @param ramGiB its RAM (what a migration moves and a destination must hold)
 * @param migrating whether a migration of it is already under way
 * @param elapsed how long its build has run (what a restart would lose)
 * @param remaining the build's expected remaining time
 * @param onHostFor how long it has been on its current host
 */
public record AgentView(
    String id,
    double ramGiB,
    boolean migrating,
    Duration elapsed,
    Duration remaining,
    Duration onHostFor) {
  public AgentView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(remaining, "remaining");
    Objects.requireNonNull(onHostFor, "onHostFor");
    if (!(ramGiB > 0)) {
      throw new IllegalArgumentException("ramGiB must be positive, got " + ramGiB);
    }
  }
}
