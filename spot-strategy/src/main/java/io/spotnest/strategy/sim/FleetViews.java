package io.spotnest.strategy.sim;

import io.spotnest.strategy.fleet.AgentView;
import io.spotnest.strategy.fleet.Destination;
import io.spotnest.strategy.fleet.FleetDecision;
import io.spotnest.strategy.fleet.HostView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shows the simulated fleet to the public strategy code and applies its decisions to it. */
final class FleetViews {
  private FleetViews() {}

  /**
   * The live hosts, in launch order, without backup hosts (they hold standing copies and take no
   * agent; the simulator moves flushed agents off them).
   */
  static List<HostView> hosts(Fleet fleet) {
    List<HostView> out = new ArrayList<>();
    for (SimHost h : fleet.alive()) {
      if (h.backup) {
        continue;
      }
      List<AgentView> agents = new ArrayList<>();
      for (SimAgent a : h.agents) {
        agents.add(
            new AgentView(
                agentId(a),
                a.build.ramGiB(),
                a.migration != null,
                Duration.ofMillis(Math.round(a.progressSeconds * 1000)),
                fleet.lengths.remaining(
                    a.build, Duration.ofMillis(Math.round(a.progressSeconds * 1000))),
                Duration.ofSeconds(fleet.now - a.onHostSince)));
      }
      boolean inbound = false;
      for (Migration m : fleet.migrations) {
        inbound |= m.to == h;
      }
      out.add(
          new HostView(
              h.id,
              h.pool == null ? Optional.empty() : Optional.of(h.pool.id()),
              h.zone,
              h.capacityGiB,
              h.reservedGiB,
              Instant.EPOCH.plusSeconds(h.readyAt),
              h.cordoned,
              h.notified,
              inbound,
              h.spare,
              Instant.EPOCH.plusSeconds(h.launchedAt),
              agents));
    }
    return out;
  }

  static String agentId(SimAgent a) {
    return "build-" + a.build.id();
  }

  /** Applies {@code decisions} in order; instants are seconds after {@code base}. */
  static void apply(Fleet fleet, List<FleetDecision> decisions, Instant base) {
    apply(fleet, decisions, base, List.of());
  }

  /**
   * As above, with the pools a {@link Destination.NewSpotHost} may name (a failed launch skips the
   * move).
   */
  static void apply(
      Fleet fleet, List<FleetDecision> decisions, Instant base, List<SpotPool> pools) {
    Map<String, SimHost> hosts = new HashMap<>();
    Map<String, SimAgent> agents = new HashMap<>();
    for (SimHost h : fleet.alive()) {
      hosts.put(h.id, h);
      for (SimAgent a : h.agents) {
        agents.put(agentId(a), a);
      }
    }
    for (FleetDecision d : decisions) {
      if (d instanceof FleetDecision.Cordon c) {
        hosts.get(c.hostId()).cordoned = true;
      } else if (d instanceof FleetDecision.Evacuate e) {
        SimAgent a = agents.get(e.agentId());
        SimHost to;
        if (e.to() instanceof Destination.NewOnDemandHost n) {
          to = fleet.launchOnDemand(a.build.ramGiB(), n.zone(), false);
          hosts.put(n.key(), to);
        } else {
          to = hosts.get(((Destination.Host) e.to()).hostId());
        }
        fleet.migrate(a, to, Duration.between(base, e.deadline()).toSeconds(), e.forced());
      } else if (d instanceof FleetDecision.LaunchSpare l) {
        fleet.launchSpare(l.agentGiB(), l.zone());
      } else if (d instanceof FleetDecision.Release r) {
        fleet.terminate(hosts.get(r.hostId()));
      } else if (d instanceof FleetDecision.Move m) {
        SimAgent a = agents.get(m.agentId());
        SimHost to;
        if (m.to() instanceof Destination.NewSpotHost n) {
          SpotPool pool =
              pools.stream().filter(p -> p.id().equals(n.pool())).findFirst().orElseThrow();
          to = fleet.launch(pool, false);
          if (to == null || to.freeGiB() < a.build.ramGiB()) {
            continue;
          }
        } else {
          to = hosts.get(((Destination.Host) m.to()).hostId());
        }
        fleet.migrate(a, to, -1, false);
      }
    }
  }
}
