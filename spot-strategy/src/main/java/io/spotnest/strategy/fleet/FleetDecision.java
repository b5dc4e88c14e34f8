package io.spotnest.strategy.fleet;

import java.time.Instant;
import java.util.Objects;

/** What the fleet strategy asks the caller to do, in order. */
public sealed interface FleetDecision {

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
