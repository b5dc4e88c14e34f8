package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPlaced;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.placement.Placement;
import io.spotnest.orchestrator.port.AgentVms;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Places requested agents (largest first, for packing) and boots them: placed and booting are
 * journaled before the VM is started. An agent placed on a host that no longer takes agents goes
 * back to the queue.
 */
public final class AgentPlacer {
  private final Recorder recorder;
  private final AgentVms vms;
  private final Placement placement;
  private final HostLoss loss;

  public AgentPlacer(Recorder recorder, AgentVms vms, Placement placement, HostLoss loss) {
    this.recorder = recorder;
    this.vms = vms;
    this.placement = placement;
    this.loss = loss;
  }

  /** Places and boots what it can; returns the memory of the agents still waiting for a host. */
  public long placeAll(Map<PoolKey, Double> risk, Instant now) {
    FleetState s = recorder.state();
    for (Agent a : List.copyOf(s.agents())) {
      if (a.phase() == AgentPhase.PLACED) {
        boolean ready =
            s.findHost(a.hostId()).map(ManagedHost::phase).map(p -> p.placeable()).orElse(false);
        if (ready) {
          boot(a.id(), a.hostId(), a.ramMiB(), now);
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
    long unplaced = 0;
    for (Agent a : waiting) {
      var host = placement.hostForNewAgent(a.ramMiB(), s, risk);
      if (host.isEmpty()) {
        unplaced += a.ramMiB();
        continue;
      }
      recorder.record(new AgentPlaced(a.id(), host.get()));
      boot(a.id(), host.get(), a.ramMiB(), now);
    }
    return unplaced;
  }

  private void boot(String agentId, String hostId, long ramMiB, Instant now) {
    recorder.record(
        new AgentPhaseChanged(agentId, AgentPhase.BOOTING, now, "booting on " + hostId));
    try {
      vms.boot(agentId, hostId, ramMiB);
    } catch (RuntimeException e) {
      loss.lose(agentId, hostId, "boot on " + hostId + " failed: " + e.getMessage());
    }
  }
}
