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
 * The strategy's answer to an interruption notice, with destinations: cordon the host and start, smallest agent
 * first, the migrations that can still finish by the deadline when queued behind the smaller ones on the host's
 * link, each to a destination that is ready now if there is one (in the agent's zone first, then its region; an
 * on-demand host, or a spot host that is not under notice in a calm pool), else to a destination with room or a new
 * on-demand host in the agent's zone, if the launch still leaves time. Agents that cannot make it are left (they
 * could only waste a host). With burst drain the pool's other hosts are treated the same way, with the burst's
 * deadline (reclamations come in bursts). The simulator runs exactly this code for our strategy.
 */
public final class NoticeResponse {
  private final MigrationTimeEstimator estimator;
  private final Duration launchTime;
  private final DoubleUnaryOperator onDemandRoomGiB;

  /**
   * @param estimator migration time of one agent alone on its host's link
   * @param launchTime from requesting a host until it takes agents
   * @param onDemandRoomGiB room for agents on the right-sized on-demand host launched for an agent of the given GiB
   */
  public NoticeResponse(MigrationTimeEstimator estimator, Duration launchTime, DoubleUnaryOperator onDemandRoomGiB) {
    this.estimator = Objects.requireNonNull(estimator, "estimator");
    this.launchTime = Objects.requireNonNull(launchTime, "launchTime");
    this.onDemandRoomGiB = Objects.requireNonNull(onDemandRoomGiB, "onDemandRoomGiB");
  }

  /**
   * Decisions for the notice of {@code hostId} (reclaimed at {@code deadline}); with {@code burstDeadline} also for
   * every other host of its pool that holds agents and has no notice yet.
   *
   * @param fleet the live hosts, in a stable order (ties between equally full destinations go to the first)
   * @param calm whether a spot pool is calm enough to receive evacuated agents
   */
  public List<FleetDecision> onNotice(List<HostView> fleet, String hostId, Instant now, Instant deadline,
      Optional<Instant> burstDeadline, Predicate<PoolId> calm) {
    Plan plan = new Plan(fleet);
    Slot host = plan.slot(hostId);
    plan.evacuateWithin(host, now, deadline, calm);
    if (burstDeadline.isPresent() && host.view.pool().isPresent()) {
      for (Slot other : new ArrayList<>(plan.slots)) {
        if (other != host && other.view != null && other.view.pool().equals(host.view.pool()) && !other.notified
            && !other.view.agents().isEmpty()) {
          plan.evacuateWithin(other, now, burstDeadline.get(), calm);
        }
      }
    }
    return plan.decisions;
  }

  /** One host of the plan, with the room and cordon the plan's earlier decisions left it. */
  private static final class Slot {
    final HostView view;
    final String id;
    final String zone;
    final boolean spot;
    final Optional<PoolId> pool;
    final boolean ready;
    final boolean notified;
    final double capacity;
    boolean cordoned;
    double used;

    Slot(HostView v) {
      this(v, v.id(), v.zone(), v.spot(), v.pool(), v.ready(), v.notified(), v.cordoned(), v.capacityGiB());
      this.used = v.usedGiB();
    }

    Slot(HostView view, String id, String zone, boolean spot, Optional<PoolId> pool, boolean ready, boolean notified,
        boolean cordoned, double capacity) {
      this.view = view;
      this.id = id;
      this.zone = zone;
      this.spot = spot;
      this.pool = pool;
      this.ready = ready;
      this.notified = notified;
      this.cordoned = cordoned;
      this.capacity = capacity;
    }

    double free() {
      return capacity - used;
    }

    String region() {
      return PoolId.regionOf(zone);
    }
  }

  /** The decisions of one call, and the fleet as they leave it. */
  private final class Plan {
    final List<Slot> slots = new ArrayList<>();
    final List<FleetDecision> decisions = new ArrayList<>();
    private int launched;

    Plan(List<HostView> fleet) {
      for (HostView v : fleet) {
        slots.add(new Slot(v));
      }
    }

    Slot slot(String id) {
      return slots.stream().filter(s -> s.id.equals(id)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no live host '" + id + "'"));
    }

    void evacuateWithin(Slot host, Instant now, Instant deadline, Predicate<PoolId> calm) {
      host.cordoned = true;
      decisions.add(new FleetDecision.Cordon(host.id));
      List<AgentView> out = host.view.agents().stream().sorted(Comparator.comparingDouble(AgentView::ramGiB)).toList();
      Predicate<Slot> acceptable = s -> !s.spot || (!s.notified && calm.test(s.pool.orElseThrow()));
      long queued = 0;
      for (AgentView a : out) {
        long drain = estimator.estimate(a.ramGiB(), 1).toSeconds();
        if (a.migrating()) {
          queued += drain;
          continue;
        }
        Slot ready = destination(host, a.ramGiB(), s -> s.ready && acceptable.test(s));
        long destIn = ready != null ? 0 : launchTime.toSeconds();
        if (now.plusSeconds(destIn + queued + drain).isAfter(deadline)) {
          continue;
        }
        queued += drain;
        Slot dest = ready != null ? ready : destination(host, a.ramGiB(), acceptable);
        Destination to;
        if (dest == null) {
          String key = "new-on-demand-" + launched++;
          dest = new Slot(null, key, host.zone, false, Optional.empty(), false, false, false,
              onDemandRoomGiB.applyAsDouble(a.ramGiB()));
          slots.add(dest);
          to = new Destination.NewOnDemandHost(key, host.zone);
        } else {
          to = new Destination.Host(dest.id);
        }
        dest.used += a.ramGiB();
        decisions.add(new FleetDecision.Evacuate(a.id(), host.id, to, deadline));
      }
    }

    /** The fullest acceptable host with room, in the source's zone first, then in its region; null if none. */
    private Slot destination(Slot from, double ramGiB, Predicate<Slot> ok) {
      Predicate<Slot> room = s -> s != from && !s.cordoned && !s.notified && s.free() >= ramGiB && ok.test(s);
      Slot dest = fullest(s -> s.zone.equals(from.zone) && room.test(s));
      return dest != null ? dest : fullest(s -> s.region().equals(from.region()) && room.test(s));
    }

    private Slot fullest(Predicate<Slot> filter) {
      Slot best = null;
      for (Slot s : slots) {
        if (filter.test(s) && (best == null || s.free() < best.free())) {
          best = s;
        }
      }
      return best;
    }
  }
}
