package io.spotnest.orchestrator.port;

import io.spotnest.orchestrator.model.PoolKey;
import java.time.Instant;
import java.util.Objects;

/**
 * The strategy's burst drain of a spot pool (many of its hosts at risk at once): its hosts take no
 * new agents and their agents leave by {@code deadline}, earliest deadline first within the
 * migration limits; the pool takes no new agents, launches or moves back before {@code quietUntil}.
 */
public record PoolDrain(PoolKey pool, Instant deadline, Instant quietUntil, String reason) {
  public PoolDrain {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(quietUntil, "quietUntil");
    Objects.requireNonNull(reason, "reason");
  }
}
