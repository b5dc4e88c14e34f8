package io.spotnest.strategy.fleet;

import io.spotnest.strategy.policy.AgentContext;
import io.spotnest.strategy.policy.Decision;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.signal.PoolId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Predicate;

/**
 * Leaving risky spot hosts early: for every agent of a spot host without a notice, {@link
 * MigrationPolicy#decide} with the host's whole RAM to drain and the time until an on-demand
 * destination with room in the region is ready; an agent told to leave goes to the fullest
 * on-demand host with room in its zone, else to a new on-demand host there (a voluntary move pays
 * no cross-zone transfer), with the policy's deadline. The simulator runs exactly this code for our
 * strategy.
 */
public final class RiskEvacuation {
  private final MigrationPolicy policy;
  private final Duration launchTime;
  private final DoubleUnaryOperator onDemandRoomGiB;

  public RiskEvacuation(
      MigrationPolicy policy, Duration launchTime, DoubleUnaryOperator onDemandRoomGiB) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.launchTime = Objects.requireNonNull(launchTime, "launchTime");
    this.onDemandRoomGiB = Objects.requireNonNull(onDemandRoomGiB, "onDemandRoomGiB");
  }

  /**
   * The early evacuations for {@code fleet} (hosts in a stable order) under the pools' current
   * hazards and prices.
   */
  public List<FleetDecision> decide(List<HostView> fleet, List<PoolOffer> pools, Instant now) {
    return decide(fleet, pools, now, agentId -> false);
  }

  /**
   * As {@link #decide(List, List, Instant)}, leaving the agents that keep a standing copy ({@code
   * standingCopy} by agent id): a notice only needs their flush.
   */
  public List<FleetDecision> decide(
      List<HostView> fleet, List<PoolOffer> pools, Instant now, Predicate<String> standingCopy) {
    Map<PoolId, PoolOffer> byPool = new HashMap<>();
    for (PoolOffer p : pools) {
      byPool.putIfAbsent(p.pool(), p);
    }
    PlannedFleet plan = new PlannedFleet(fleet);
    for (PlannedFleet.Slot host : new ArrayList<>(plan.slots)) {
      HostView v = host.view;
      if (!v.spot() || v.notified() || v.agents().isEmpty()) {
        continue;
      }
      PoolOffer pool = byPool.get(v.pool().get());
      double hostRam = 0;
      for (AgentView a : v.agents()) {
        hostRam += a.ramGiB();
      }
      for (AgentView a : v.agents()) {
        if (a.migrating() || standingCopy.test(a.id())) {
          continue;
        }
        AgentContext c =
            new AgentContext(
                now,
                a.ramGiB(),
                a.elapsed(),
                a.remaining(),
                pool.pool(),
                pool.hazard(),
                pool.spotToOnDemand(),
                hostRam,
                readyIn(plan, host, a.ramGiB(), now),
                Optional.empty());
        if (policy.decide(c) instanceof Decision.MigrateOut out) {
          PlannedFleet.Slot dest =
              plan.fullest(host, a.ramGiB(), s -> s.zone.equals(host.zone) && !s.spot);
          Destination to =
              dest != null
                  ? new Destination.Host(dest.id)
                  : plan.launchOnDemand(
                      host.zone, onDemandRoomGiB.applyAsDouble(a.ramGiB()), now.plus(launchTime));
          plan.reserve(to, a.ramGiB());
          plan.decisions.add(
              new FleetDecision.Evacuate(a.id(), host.id, to, out.deadline(), false));
        }
      }
    }
    return plan.decisions;
  }

  /**
   * Time until an on-demand host with room in the source's region is ready (a launch when there is
   * none).
   */
  private Duration readyIn(PlannedFleet plan, PlannedFleet.Slot from, double ramGiB, Instant now) {
    Duration best = launchTime;
    for (PlannedFleet.Slot s : plan.slots) {
      if (!s.spot && s.acceptsAgents() && s.free() >= ramGiB && s.region().equals(from.region())) {
        Duration in = s.ready(now) ? Duration.ZERO : Duration.between(now, s.readyAt);
        if (in.compareTo(best) < 0) {
          best = in;
        }
      }
    }
    return best;
  }
}
