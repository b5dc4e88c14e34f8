package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPlaced;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.placement.Placement;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Places requested agents (largest first, for packing) as their market policy allows and boots
 * them: placed and booting are journaled before the VM is started. A boot that fails is a lost
 * build, and its VM (it may have started before the call failed, a timeout say) is removed there
 * once the loss is journaled. An agent placed on a host that no longer takes agents goes back to
 * the queue.
 */
public final class AgentPlacer {
  private final Recorder recorder;
  private final AgentBoot vms;
  private final Placement placement;
  private final HostLoss loss;
  private final VmRemovals removals;

  public AgentPlacer(
      Recorder recorder, AgentBoot vms, Placement placement, HostLoss loss, VmRemovals removals) {
    this.recorder = recorder;
    this.vms = vms;
    this.placement = placement;
    this.loss = loss;
    this.removals = removals;
  }

  /**
   * Places and boots what it can; returns the memory of the agents still waiting for a host, by the
   * capacity their policy lets them use.
   */
  public Demand placeAll(Map<PoolKey, Double> risk, Instant now) {
    FleetState s = recorder.state();
    for (Agent a : List.copyOf(s.agents())) {
      if (a.phase() == AgentPhase.PLACED) {
        boolean ready =
            s.findHost(a.hostId()).map(ManagedHost::phase).map(p -> p.placeable()).orElse(false);
        if (ready) {
          boot(a, a.hostId(), now);
        } else {
          recorder.record(
              new AgentPhaseChanged(
                  a.id(),
                  AgentPhase.REQUESTED,
                  now,
                  "host " + a.hostId() + " no longer takes agents"));
        }
      }
    }
    List<Agent> waiting =
        s.agents().stream()
            .filter(a -> a.phase() == AgentPhase.REQUESTED)
            .sorted(Comparator.comparingLong(Agent::ramMiB).reversed())
            .toList();
    long spotMiB = 0;
    long onDemandMiB = 0;
    long eitherMiB = 0;
    for (Agent a : waiting) {
      var host = placement.hostForNewAgent(a.ramMiB(), a.policy(), s, risk);
      if (host.isEmpty()) {
        switch (a.policy()) {
          case SPOT_ONLY -> spotMiB += a.ramMiB();
          case ON_DEMAND_ONLY -> onDemandMiB += a.ramMiB();
          case PREFER_SPOT -> eitherMiB += a.ramMiB();
        }
        continue;
      }
      recorder.record(new AgentPlaced(a.id(), host.get()));
      boot(s.findAgent(a.id()).orElseThrow(), host.get(), now);
    }
    return new Demand(spotMiB, onDemandMiB, eitherMiB);
  }

  private void boot(Agent a, String hostId, Instant now) {
    recorder.record(
        new AgentPhaseChanged(
            a.id(), AgentPhase.BOOTING, now, "booting on " + hostId, vms.memory()));
    try {
      vms.boot(a, hostId);
    } catch (RuntimeException e) {
      loss.lose(a.id(), hostId, "boot on " + hostId + " failed: " + e.getMessage());
      removals.remove(a.id(), hostId);
    }
  }
}
