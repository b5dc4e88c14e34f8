package io.spotnest.orchestrator.view;

import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One live host (ready, at risk or draining).
 *
 * @param risk its pool's latest 15-minute reclamation probability (0 on demand)
 * @param agents the agents placed on, running on or draining from it
 * @param noticeDeadline the provider's reclamation deadline, or null
 */
public record HostSnapshot(
    String id,
    PoolKey pool,
    Market market,
    HostPhase phase,
    double risk,
    List<String> agents,
    Instant noticeDeadline) {
  public HostSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(market, "market");
    Objects.requireNonNull(phase, "phase");
    agents = List.copyOf(agents);
  }
}
