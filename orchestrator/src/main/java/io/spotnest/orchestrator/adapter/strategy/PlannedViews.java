package io.spotnest.orchestrator.adapter.strategy;

import io.spotnest.strategy.fleet.AgentView;
import io.spotnest.strategy.fleet.Destination;
import io.spotnest.strategy.fleet.FleetDecision;
import io.spotnest.strategy.fleet.HostView;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet as the decisions taken so far in one assessment leave it (room reserved on
 * destinations, agents migrating, hosts cordoned), so that each planner of the fleet strategy sees
 * the moves of the ones before it, as the simulator's fleet does when it applies them.
 */
final class PlannedViews {
  private final List<HostView> views;

  PlannedViews(List<HostView> views) {
    this.views = new ArrayList<>(views);
  }

  List<HostView> views() {
    return List.copyOf(views);
  }

  /** Whether {@code id} is a host of the fleet (not one a decision launches). */
  boolean has(String id) {
    return views.stream().anyMatch(v -> v.id().equals(id));
  }

  HostView host(String id) {
    return views.stream().filter(v -> v.id().equals(id)).findFirst().orElseThrow();
  }

  /** Applies {@code decisions} to the views and returns them. */
  List<FleetDecision> apply(List<FleetDecision> decisions) {
    for (FleetDecision d : decisions) {
      if (d instanceof FleetDecision.Cordon c) {
        replace(host(c.hostId()), true, 0, false, null);
      } else if (d instanceof FleetDecision.Evacuate e) {
        move(e.agentId(), e.fromHostId(), e.to());
      } else if (d instanceof FleetDecision.Move m) {
        move(m.agentId(), m.fromHostId(), m.to());
      }
    }
    return decisions;
  }

  private void move(String agentId, String from, Destination to) {
    HostView source = host(from);
    AgentView a =
        source.agents().stream().filter(v -> v.id().equals(agentId)).findFirst().orElseThrow();
    replace(source, source.cordoned(), 0, source.inbound(), agentId);
    if (to instanceof Destination.Host h && has(h.hostId())) {
      HostView dest = host(h.hostId());
      replace(dest, dest.cordoned(), a.ramGiB(), true, null);
    }
  }

  private void replace(
      HostView v, boolean cordoned, double addGiB, boolean inbound, String migrating) {
    List<AgentView> agents = new ArrayList<>();
    for (AgentView a : v.agents()) {
      agents.add(
          a.id().equals(migrating)
              ? new AgentView(a.id(), a.ramGiB(), true, a.elapsed(), a.remaining(), a.onHostFor())
              : a);
    }
    views.set(
        views.indexOf(v),
        new HostView(
            v.id(),
            v.pool(),
            v.zone(),
            v.capacityGiB(),
            v.usedGiB() + addGiB,
            v.readyAt(),
            cordoned || v.cordoned(),
            v.notified(),
            inbound || v.inbound(),
            v.spare() && addGiB == 0,
            v.launchedAt(),
            agents));
  }
}
