package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.AgentView;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.port.LiveHostView;
import io.spotnest.orchestrator.port.SpotHostView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds what the strategy sees: live spot hosts with their running agents, and the spot pools in
 * play.
 */
public final class StrategyInputs {
  private StrategyInputs() {}

  /**
   * Spot pools of live hosts and of the spot offers (so a pool can be judged before we launch
   * there).
   */
  public static Set<PoolKey> spotPools(FleetState s, List<HostOrder> offers) {
    Set<PoolKey> pools = new LinkedHashSet<>();
    for (HostOrder o : offers) {
      if (o.market() == Market.SPOT) {
        pools.add(o.pool());
      }
    }
    for (ManagedHost h : s.hosts()) {
      if (h.live() && h.market() == Market.SPOT) {
        pools.add(h.pool());
      }
    }
    return pools;
  }

  /**
   * Every live host (launching ones with the end of their launch timeout as ready time), in launch
   * order, with all its agents: running ones as they are, migrating ones flagged, those with a
   * standing copy a notice may flush flagged as copied; memory used counts moves onto the host.
   */
  public static List<LiveHostView> liveHosts(
      FleetState s, Instant now, Duration launchTimeout, Residence residence) {
    List<LiveHostView> out = new ArrayList<>();
    for (ManagedHost h : s.launching()) {
      Instant asked = s.launchRequestedAt(h.launchKey());
      out.add(
          new LiveHostView(
              h.launchKey(),
              h.market(),
              h.pool(),
              h.capacityMiB(),
              0,
              asked.plus(launchTimeout),
              true,
              Optional.empty(),
              false,
              asked,
              List.of()));
    }
    for (ManagedHost h : s.hosts()) {
      if (!h.live()) {
        continue;
      }
      List<AgentView> agents = new ArrayList<>();
      for (String id : new TreeSet<>(s.agentsOn(h.id()))) {
        Agent a = s.findAgent(id).orElseThrow();
        boolean migrating = a.phase() == AgentPhase.MIGRATING;
        if (a.phase() == AgentPhase.ONLINE || a.phase() == AgentPhase.BUSY || migrating) {
          Duration elapsed =
              a.busySince() == null ? Duration.ZERO : Duration.between(a.busySince(), now);
          Duration left = s.builds().remaining(id, a.expectedBuild(), elapsed);
          agents.add(
              new AgentView(
                  id,
                  a.ramMiB(),
                  elapsed,
                  left,
                  migrating,
                  residence.onHostFor(id, h.id(), now),
                  a.copy(),
                  !migrating && StandingCopies.flushable(s, a).isPresent()));
        }
      }
      boolean inbound = s.moves().stream().anyMatch(m -> m.to().equals(h.id()));
      out.add(
          new LiveHostView(
              h.id(),
              h.market(),
              h.pool(),
              h.capacityMiB(),
              s.usedMiB(h.id()),
              now,
              h.phase().placeable() && h.noticeDeadline() == null,
              Optional.ofNullable(h.noticeDeadline()),
              inbound,
              now,
              agents));
    }
    return out;
  }

  public static List<SpotHostView> spotHosts(FleetState s, Instant now) {
    List<SpotHostView> out = new ArrayList<>();
    for (ManagedHost h : s.hosts()) {
      if (!h.live() || h.market() != Market.SPOT) {
        continue;
      }
      List<AgentView> agents = new ArrayList<>();
      for (String id : s.agentsOn(h.id())) {
        Agent a = s.findAgent(id).orElseThrow();
        if (a.phase() == AgentPhase.ONLINE || a.phase() == AgentPhase.BUSY) {
          Duration elapsed =
              a.busySince() == null ? Duration.ZERO : Duration.between(a.busySince(), now);
          Duration left = s.builds().remaining(id, a.expectedBuild(), elapsed);
          agents.add(new AgentView(id, a.ramMiB(), elapsed, left));
        }
      }
      out.add(new SpotHostView(h.id(), h.pool(), agents, Optional.ofNullable(h.noticeDeadline())));
    }
    return out;
  }
}
