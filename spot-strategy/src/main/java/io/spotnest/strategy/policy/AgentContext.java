package io.spotnest.strategy.policy;

import io.spotnest.strategy.risk.Hazard;
import io.spotnest.strategy.signal.InterruptionNotice;
import io.spotnest.strategy.signal.PoolId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the policy knows about one agent on a spot host at decision time.
 *
 * @param now the decision instant
 * @param agentRamGiB the agent's memory
 * @param elapsed build time already done (lost if the host dies with the agent on it)
 * @param expectedRemaining the build's expected remaining time (Jenkins' estimate minus elapsed)
 * @param pool the host's pool
 * @param hazard the pool's hazard now
 * @param spotToOnDemand the pool's spot price as a fraction of on-demand
 * @param hostRamToEvacuate the memory that would leave the host's link in an evacuation (all its
 *     agents)
 * @param destinationReadyIn time until a destination with room is ready (zero when free capacity
 *     exists)
 * @param notice the host's interruption notice, if one arrived
 */
public record AgentContext(
    Instant now,
    double agentRamGiB,
    Duration elapsed,
    Duration expectedRemaining,
    PoolId pool,
    Hazard hazard,
    double spotToOnDemand,
    double hostRamToEvacuate,
    Duration destinationReadyIn,
    Optional<InterruptionNotice> notice) {

  public AgentContext {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(expectedRemaining, "expectedRemaining");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(hazard, "hazard");
    Objects.requireNonNull(destinationReadyIn, "destinationReadyIn");
    Objects.requireNonNull(notice, "notice");
    if (!(agentRamGiB > 0)) {
      throw new IllegalArgumentException("agentRamGiB must be positive, got " + agentRamGiB);
    }
    if (!(hostRamToEvacuate >= agentRamGiB)) {
      throw new IllegalArgumentException("hostRamToEvacuate must include the agent's own RAM");
    }
  }
}
