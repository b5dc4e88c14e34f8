package io.spotnest.orchestrator.port;

import io.spotnest.orchestrator.model.PoolKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A spot host and its agents as the strategy sees it; {@code notice} is this host's reclamation
 * deadline.
 */
public record SpotHostView(
    String hostId, PoolKey pool, List<AgentView> agents, Optional<Instant> notice) {
  public SpotHostView {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(pool, "pool");
    agents = List.copyOf(agents);
    Objects.requireNonNull(notice, "notice");
  }
}
