package io.spotnest.strategy.fleet;

import io.spotnest.strategy.signal.PoolId;
import java.time.Instant;
import java.util.Objects;

/** What the fleet strategy asks the caller to do, in order. */
public sealed interface FleetDecision {

  /**
   * Burst drain: a reclamation burst is under way in {@code pool}. Its hosts are cordoned and their
   * agents leave by {@code deadline} (each as its own {@link Evacuate}, which follow); the pool
   * takes no new agents, launches or moves back before {@code quietUntil}.
   */
  record DrainPool(PoolId pool, Instant deadline, Instant quietUntil) implements FleetDecision {
    public DrainPool {
      Objects.requireNonNull(pool, "pool");
      Objects.requireNonNull(deadline, "deadline");
      Objects.requireNonNull(quietUntil, "quietUntil");
    }
  }

  /** Take no new agents on the host; it retires once empty. */
  record Cordon(String hostId) implements FleetDecision {
    public Cordon {
      Objects.requireNonNull(hostId, "hostId");
    }
  }

  /**
   * Migrate the agent off {@code fromHostId} to {@code to}, to finish by {@code deadline}; {@code
   * forced} when a notice imposes it (else the strategy chose to leave a risky host early).
   */
  record Evacuate(
      String agentId, String fromHostId, Destination to, Instant deadline, boolean forced)
      implements FleetDecision {
    public Evacuate {
      Objects.requireNonNull(agentId, "agentId");
      Objects.requireNonNull(fromHostId, "fromHostId");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(deadline, "deadline");
    }
  }

  /**
   * Migrate the agent off {@code fromHostId} to {@code to} when convenient (no deadline:
   * consolidation, move back).
   */
  record Move(String agentId, String fromHostId, Destination to) implements FleetDecision {
    public Move {
      Objects.requireNonNull(agentId, "agentId");
      Objects.requireNonNull(fromHostId, "fromHostId");
      Objects.requireNonNull(to, "to");
    }
  }

  /**
   * Launch a right-sized on-demand host in {@code zone} with room for {@code agentGiB}, kept as a
   * warm spare.
   */
  record LaunchSpare(String zone, double agentGiB) implements FleetDecision {
    public LaunchSpare {
      Objects.requireNonNull(zone, "zone");
    }
  }

  /** Terminate the (empty) host. */
  record Release(String hostId) implements FleetDecision {
    public Release {
      Objects.requireNonNull(hostId, "hostId");
    }
  }
}
