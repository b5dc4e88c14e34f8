package io.spotnest.strategy.fleet;

import io.spotnest.strategy.signal.PoolId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A live host as the fleet strategy sees it (terminated hosts are left out).
 *
 * @param id the caller's id of the host
 * @param pool its spot pool, empty for an on-demand host
 * @param zone the availability zone it runs in
 * @param capacityGiB RAM for agents
 * @param usedGiB RAM used or reserved by agents
 * @param readyAt when its launch finishes and it takes agents
 * @param cordoned whether it takes no new agents (draining)
 * @param notified whether its interruption notice has arrived
 * @param inbound whether a migration onto it is under way
 * @param spare whether it is an on-demand warm spare kept empty for evacuations
 * @param launchedAt when it was requested (spares are kept at least the idle time)
 * @param agents its agents
 */
public record HostView(
    String id,
    Optional<PoolId> pool,
    String zone,
    double capacityGiB,
    double usedGiB,
    Instant readyAt,
    boolean cordoned,
    boolean notified,
    boolean inbound,
    boolean spare,
    Instant launchedAt,
    List<AgentView> agents) {
  public HostView {
    Objects.requireNonNull(launchedAt, "launchedAt");
    Objects.requireNonNull(readyAt, "readyAt");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(zone, "zone");
    agents = List.copyOf(agents);
  }

  public boolean spot() {
    return pool.isPresent();
  }

  public String region() {
    return PoolId.regionOf(zone);
  }

  /** RAM not yet used or reserved by agents. */
  public double freeGiB() {
    return capacityGiB - usedGiB;
  }

  /** Whether it takes agents at {@code now}. */
  public boolean ready(Instant now) {
    return !now.isBefore(readyAt);
  }

  /** Can take new agents: not cordoned, not under notice. */
  public boolean acceptsAgents() {
    return !cordoned && !notified;
  }
}
