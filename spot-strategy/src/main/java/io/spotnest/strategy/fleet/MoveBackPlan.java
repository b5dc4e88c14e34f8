package io.spotnest.strategy.fleet;

import io.spotnest.strategy.policy.AgentContext;
import io.spotnest.strategy.policy.Decision;
import io.spotnest.strategy.policy.MigrationPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Moves an agent that runs on on-demand back to spot: among the open pools of its region (one in
 * another zone only when the spot saving over the policy's on-demand dwell beats the transfer), the
 * one with the lowest 60-minute hazard; the move goes ahead when {@link MigrationPolicy#moveBack}
 * says so, onto the fullest host of that pool with room or a new spot host there. The simulator
 * runs exactly this code for our strategy (one agent at a time, so that a failed launch is seen
 * before the next agent).
 */
public final class MoveBackPlan {
  private final MigrationPolicy policy;
  private final Duration launchTime;
  private final Duration minOnDemand;
  private final double crossZoneCostPerGiB;

  /**
   * @param minOnDemand an agent stays at least this long on an on-demand host before it moves back
   * @param crossZoneCostPerGiB transfer cost (both sides) per GiB moved between zones, in the
   *     policy's cost unit
   */
  public MoveBackPlan(
      MigrationPolicy policy,
      Duration launchTime,
      Duration minOnDemand,
      double crossZoneCostPerGiB) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.launchTime = Objects.requireNonNull(launchTime, "launchTime");
    this.minOnDemand = Objects.requireNonNull(minOnDemand, "minOnDemand");
    this.crossZoneCostPerGiB = crossZoneCostPerGiB;
  }

  /**
   * The move back of {@code agent} (on the on-demand host {@code host}), or empty: a {@link
   * FleetDecision.Move} to {@link Destination.Host} or to a new spot host in the pool ({@link
   * Destination.NewSpotHost}).
   */
  public Optional<FleetDecision.Move> decide(
      List<HostView> fleet, HostView host, AgentView agent, List<PoolOffer> pools, Instant now) {
    if (host.spot()
        || agent.migrating()
        || !host.ready(now)
        || agent.onHostFor().compareTo(minOnDemand) < 0) {
      return Optional.empty();
    }
    PoolOffer pool = null;
    for (PoolOffer m : pools) {
      if (m.pool().region().equals(host.region())
          && m.open()
          && m.spotToOnDemand() < 1
          && worthTransfer(agent, host.zone(), m)
          && (pool == null || m.hazard().p60() < pool.hazard().p60())) {
        pool = m;
      }
    }
    if (pool == null) {
      return Optional.empty();
    }
    HostView dest = null;
    for (HostView h : fleet) {
      if (h.pool().isPresent()
          && h.pool().get().equals(pool.pool())
          && h.acceptsAgents()
          && h.freeGiB() >= agent.ramGiB()
          && (dest == null || h.freeGiB() < dest.freeGiB())) {
        dest = h;
      }
    }
    double hostRam = agent.ramGiB() + (dest == null ? 0 : dest.usedGiB());
    Decision d =
        policy.moveBack(
            new AgentContext(
                now,
                agent.ramGiB(),
                agent.elapsed(),
                agent.remaining(),
                pool.pool(),
                pool.hazard(),
                pool.spotToOnDemand(),
                hostRam,
                launchTime,
                Optional.empty()));
    if (!(d instanceof Decision.MoveBack)) {
      return Optional.empty();
    }
    Destination to =
        dest != null ? new Destination.Host(dest.id()) : new Destination.NewSpotHost(pool.pool());
    return Optional.of(new FleetDecision.Move(agent.id(), host.id(), to));
  }

  private boolean worthTransfer(AgentView a, String zone, PoolOffer p) {
    if (p.pool().zone().equals(zone)) {
      return true;
    }
    double seconds =
        Math.min(
            a.remaining().toMillis() / 1000.0,
            policy.parameters().expectedOnDemandDwell().toSeconds());
    return a.ramGiB() * (1 - p.spotToOnDemand()) * seconds / 3600
        > 2 * a.ramGiB() * crossZoneCostPerGiB;
  }
}
