package io.spotnest.strategy.fleet;

import io.spotnest.strategy.policy.MigrationTimeEstimator;
import io.spotnest.strategy.signal.PoolId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Predicate;

/**
 * The strategy's answer to an interruption notice, with destinations: cordon the host and start,
 * smallest agent first, the migrations that can still finish by the deadline when queued behind the
 * smaller ones on the host's link, each to a destination that is ready now if there is one (in the
 * agent's zone first, then its region; an on-demand host, or a spot host that is not under notice
 * in a calm pool), else to a destination with room or a new on-demand host in the agent's zone, if
 * the launch still leaves time. Agents that cannot make it are left (they could only waste a host).
 * With burst drain the pool is drained first ({@link FleetDecision.DrainPool}: none of its hosts
 * receives) and its other hosts are treated the same way, with the burst's deadline (reclamations
 * come in bursts). The simulator runs exactly this code for our strategy.
 */
public final class NoticeResponse {
  /**
   * With burst drain, how long after a burst's first notice its pool takes no new agents, launches
   * or moves back ({@link FleetDecision.DrainPool#quietUntil}).
   */
  public static final Duration BURST_QUIET = Duration.ofMinutes(15);

  private final MigrationTimeEstimator estimator;
  private final Duration launchTime;
  private final DoubleUnaryOperator onDemandRoomGiB;

  /**
   * @param estimator migration time of one agent alone on its host's link
   * @param launchTime from requesting a host until it takes agents
   * @param onDemandRoomGiB room for agents on the right-sized on-demand host launched for an agent
   *     of the given GiB
   */
  public NoticeResponse(
      MigrationTimeEstimator estimator, Duration launchTime, DoubleUnaryOperator onDemandRoomGiB) {
    this.estimator = Objects.requireNonNull(estimator, "estimator");
    this.launchTime = Objects.requireNonNull(launchTime, "launchTime");
    this.onDemandRoomGiB = Objects.requireNonNull(onDemandRoomGiB, "onDemandRoomGiB");
  }

  /**
   * Decisions for the notice of {@code hostId} (reclaimed at {@code deadline}); with {@code
   * burstDeadline} (a spot host's notice) first a {@link FleetDecision.DrainPool} of its pool, then
   * also decisions for every other host of its pool that holds agents and has no notice yet.
   *
   * @param fleet the live hosts, in a stable order (ties between equally full destinations go to
   *     the first)
   * @param calm whether a spot pool is calm enough to receive evacuated agents
   */
  public List<FleetDecision> onNotice(
      List<HostView> fleet,
      String hostId,
      Instant now,
      Instant deadline,
      Optional<Instant> burstDeadline,
      Predicate<PoolId> calm) {
    return onNotice(fleet, hostId, now, deadline, burstDeadline, calm, agentId -> false);
  }

  /**
   * As above, leaving the agents that keep a standing copy ({@code standingCopy} by agent id): a
   * notice only needs their flush, so burst drain does not move them early either.
   */
  public List<FleetDecision> onNotice(
      List<HostView> fleet,
      String hostId,
      Instant now,
      Instant deadline,
      Optional<Instant> burstDeadline,
      Predicate<PoolId> calm,
      Predicate<String> standingCopy) {
    PlannedFleet plan = new PlannedFleet(fleet);
    PlannedFleet.Slot host = plan.slot(hostId);
    boolean burst = burstDeadline.isPresent() && host.view.pool().isPresent();
    Predicate<PoolId> receives = calm;
    if (burst) {
      PoolId drained = host.view.pool().get();
      plan.decisions.add(
          new FleetDecision.DrainPool(drained, burstDeadline.get(), now.plus(BURST_QUIET)));
      receives = pool -> !pool.equals(drained) && calm.test(pool); // its hosts drain next
    }
    evacuateWithin(plan, host, now, deadline, receives, standingCopy);
    if (burst) {
      for (PlannedFleet.Slot other : new ArrayList<>(plan.slots)) {
        if (other != host
            && other.view != null
            && other.view.pool().equals(host.view.pool())
            && !other.notified
            && !other.view.agents().isEmpty()) {
          evacuateWithin(plan, other, now, burstDeadline.get(), receives, standingCopy);
        }
      }
    }
    return plan.decisions;
  }

  private void evacuateWithin(
      PlannedFleet plan,
      PlannedFleet.Slot host,
      Instant now,
      Instant deadline,
      Predicate<PoolId> calm,
      Predicate<String> standingCopy) {
    host.cordoned = true;
    plan.decisions.add(new FleetDecision.Cordon(host.id));
    List<AgentView> out =
        host.view.agents().stream().sorted(Comparator.comparingDouble(AgentView::ramGiB)).toList();
    Predicate<PlannedFleet.Slot> acceptable =
        s -> !s.spot || (!s.notified && calm.test(s.pool.orElseThrow()));
    long queued = 0;
    for (AgentView a : out) {
      if (standingCopy.test(a.id())) {
        continue;
      }
      long drain = estimator.estimate(a.ramGiB(), 1).toSeconds();
      if (a.migrating()) {
        queued += drain;
        continue;
      }
      PlannedFleet.Slot ready =
          plan.destination(host, a.ramGiB(), s -> s.ready(now) && acceptable.test(s));
      long destIn = ready != null ? 0 : launchTime.toSeconds();
      if (now.plusSeconds(destIn + queued + drain).isAfter(deadline)) {
        continue;
      }
      queued += drain;
      PlannedFleet.Slot dest =
          ready != null ? ready : plan.destination(host, a.ramGiB(), acceptable);
      Destination to =
          dest != null
              ? new Destination.Host(dest.id)
              : plan.launchOnDemand(
                  host.zone, onDemandRoomGiB.applyAsDouble(a.ramGiB()), now.plus(launchTime));
      plan.reserve(to, a.ramGiB());
      plan.decisions.add(new FleetDecision.Evacuate(a.id(), host.id, to, deadline, true));
    }
  }
}
