package io.spotnest.strategy.policy;

import io.spotnest.strategy.signal.PoolId;
import java.time.Instant;
import java.util.Objects;

/** What the policy wants done with one agent. */
public sealed interface Decision
    permits Decision.Stay, Decision.MigrateOut, Decision.MoveBack, Decision.Consolidate {

  /** Keep the agent where it is. */
  record Stay(String reason) implements Decision {
    public Stay {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Move the agent to on-demand (or safer) capacity; the move must finish by {@code deadline}. */
  record MigrateOut(Instant deadline, boolean forced, String reason) implements Decision {
    public MigrateOut {
      Objects.requireNonNull(deadline, "deadline");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Move the agent from on-demand back to spot in {@code pool}. */
  record MoveBack(PoolId pool, String reason) implements Decision {
    public MoveBack {
      Objects.requireNonNull(pool, "pool");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Move the agent onto {@code targetHostId} so that its half-empty host can be retired. */
  record Consolidate(String targetHostId, String reason) implements Decision {
    public Consolidate {
      Objects.requireNonNull(targetHostId, "targetHostId");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
