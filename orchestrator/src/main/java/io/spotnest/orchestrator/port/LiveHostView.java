package io.spotnest.orchestrator.port;

import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A live host (spot or on-demand, launching or running) as the strategy sees it.
 *
 * @param usedMiB memory used or reserved by agents (moves onto it included)
 * @param readyAt when it takes agents (a launching host: when its launch is expected to finish)
 * @param takesAgents whether new agents may land on it (not at risk, draining or under notice)
 * @param notice this host's reclamation deadline, if it has one
 * @param inbound whether a migration onto it is under way
 * @param launchedAt when its launch was requested (or first seen)
 * @param agents its agents (those migrating off it included, flagged)
 */
public record LiveHostView(
    String hostId,
    Market market,
    PoolKey pool,
    long capacityMiB,
    long usedMiB,
    Instant readyAt,
    boolean takesAgents,
    Optional<Instant> notice,
    boolean inbound,
    Instant launchedAt,
    List<AgentView> agents) {
  public LiveHostView {
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(market, "market");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(readyAt, "readyAt");
    Objects.requireNonNull(notice, "notice");
    Objects.requireNonNull(launchedAt, "launchedAt");
    agents = List.copyOf(agents);
  }

  /** The same host as the older spot-only view (agents not migrating). */
  public SpotHostView asSpot() {
    return new SpotHostView(
        hostId, pool, agents.stream().filter(a -> !a.migrating()).toList(), notice);
  }
}
