package io.spotnest.strategy.policy;

import java.time.Duration;
import java.util.Objects;

/** An agent VM as the decision tick sees it. */
public record AgentState(String id, double ramGiB, Duration elapsed, Duration expectedRemaining) {
  public AgentState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(expectedRemaining, "expectedRemaining");
    if (!(ramGiB > 0)) {
      throw new IllegalArgumentException("ramGiB must be positive, got " + ramGiB);
    }
  }
}
