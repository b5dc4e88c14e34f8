package io.spotnest.strategy.fleet;

import io.spotnest.strategy.signal.PoolId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The fleet as the decisions of one plan leave it: the room they reserve, the hosts they cordon and
 * the on-demand hosts they launch, so that each decision sees the ones before it.
 */
final class PlannedFleet {
  /** One host of the plan. */
  static final class Slot {
    final HostView view;
    final String id;
    final String zone;
    private final String region;
    final boolean spot;
    final Optional<PoolId> pool;
    final Instant readyAt;
    final boolean notified;
    final double capacity;
    boolean cordoned;
    double used;

    Slot(HostView v) {
      this(v, v.id(), v.zone(), v.pool(), v.readyAt(), v.notified(), v.cordoned(), v.capacityGiB());
      this.used = v.usedGiB();
    }

    Slot(
        HostView view,
        String id,
        String zone,
        Optional<PoolId> pool,
        Instant readyAt,
        boolean notified,
        boolean cordoned,
        double capacity) {
      this.view = view;
      this.id = id;
      this.zone = zone;
      this.region = PoolId.regionOf(zone);
      this.spot = pool.isPresent();
      this.pool = pool;
      this.readyAt = readyAt;
      this.notified = notified;
      this.cordoned = cordoned;
      this.capacity = capacity;
    }

    double free() {
      return capacity - used;
    }

    boolean ready(Instant now) {
      return !now.isBefore(readyAt);
    }

    boolean acceptsAgents() {
      return !cordoned && !notified;
    }

    String region() {
      return region;
    }
  }

  final List<Slot> slots = new ArrayList<>();
  final List<FleetDecision> decisions = new ArrayList<>();
  private int launched;

  PlannedFleet(List<HostView> fleet) {
    for (HostView v : fleet) {
      slots.add(new Slot(v));
    }
  }

  Slot slot(String id) {
    return slots.stream()
        .filter(s -> s.id.equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no live host '" + id + "'"));
  }

  /**
   * A new on-demand host with {@code roomGiB} for agents in {@code zone}, ready at {@code readyAt}.
   */
  Destination.NewOnDemandHost launchOnDemand(String zone, double roomGiB, Instant readyAt) {
    String key = "new-on-demand-" + launched++;
    slots.add(new Slot(null, key, zone, Optional.empty(), readyAt, false, false, roomGiB));
    return new Destination.NewOnDemandHost(key, zone);
  }

  /** Reserves {@code ramGiB} on the destination's host. */
  void reserve(Destination to, double ramGiB) {
    String id =
        to instanceof Destination.NewOnDemandHost n ? n.key() : ((Destination.Host) to).hostId();
    slot(id).used += ramGiB;
  }

  /**
   * The fullest host with room that {@code ok} accepts, in the source's zone first, then in its
   * region; or null.
   */
  Slot destination(Slot from, double ramGiB, Predicate<Slot> ok) {
    Slot dest = fullest(from, ramGiB, s -> s.zone.equals(from.zone) && ok.test(s));
    return dest != null
        ? dest
        : fullest(from, ramGiB, s -> s.region().equals(from.region()) && ok.test(s));
  }

  /**
   * The fullest host other than {@code from} that takes agents, has room and matches; first of
   * equals; or null.
   */
  Slot fullest(Slot from, double ramGiB, Predicate<Slot> filter) {
    Slot best = null;
    for (Slot s : slots) {
      if (s != from
          && s.acceptsAgents()
          && s.free() >= ramGiB
          && filter.test(s)
          && (best == null || s.free() < best.free())) {
        best = s;
      }
    }
    return best;
  }
}
