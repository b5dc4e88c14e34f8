package io.spotnest.strategy.policy;

import io.spotnest.strategy.signal.InterruptionNotice;
import io.spotnest.strategy.signal.PoolId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A spot host and its agents as the decision tick sees them. */
public record HostState(
    String id,
    PoolId pool,
    double spotToOnDemand,
    List<AgentState> agents,
    Optional<InterruptionNotice> notice) {
  public HostState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pool, "pool");
    agents = List.copyOf(agents);
    Objects.requireNonNull(notice, "notice");
  }

  public double ramGiB() {
    double sum = 0;
    for (AgentState a : agents) {
      sum += a.ramGiB();
    }
    return sum;
  }
}
