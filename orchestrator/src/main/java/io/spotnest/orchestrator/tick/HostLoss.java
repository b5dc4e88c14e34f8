package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.journal.JournalRecord.AgentLost;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.HostPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.MoveFinished;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.model.Move;
import io.spotnest.orchestrator.port.AgentMover;
import io.spotnest.orchestrator.port.MoveStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a vanished host means for its agents. A move <em>onto</em> it is left to the mover, which
 * reports the VM still on its source. A move <em>off</em> it that the mover still runs is left to
 * it too: it may have switched over (the engine settles a source that stopped answering as a
 * success on the destination), and {@link MoveTracker} records its end, a loss if the VM is not on
 * the destination. A move off it that ended short of a live destination (a switch-over onto a host
 * the model has as gone included), and every agent running on it, is lost: recorded with the host
 * that vanished with the build (the gone destination it switched over onto, else the source) and
 * the reason, and requeued; the VM such a move left on a host is removed there. Agents only placed
 * there go back to the queue.
 */
public final class HostLoss {
  private final Recorder recorder;
  private final AgentMover mover;
  private final Ids ids;
  private final VmRemovals removals;
  private final Clock clock;

  /**
   * @param clock stamps each loss it journals
   */
  public HostLoss(Recorder recorder, AgentMover mover, Ids ids, VmRemovals removals, Clock clock) {
    this.recorder = recorder;
    this.mover = mover;
    this.ids = ids;
    this.removals = removals;
    this.clock = clock;
  }

  public void lost(ManagedHost host, String why, Instant at) {
    FleetState s = recorder.state();
    String hostId = host.id();
    for (Move m : new ArrayList<>(s.moves())) {
      if (m.from().equals(hostId)) {
        MoveStatus st = mover.status(m.moveId());
        if (st instanceof MoveStatus.InFlight) {
          continue; // the mover's verdict decides, by the move's deadline
        }
        boolean toLive = s.findHost(m.to()).map(ManagedHost::live).orElse(false);
        if (st instanceof MoveStatus.Ended e
            && e.runningOn().equals(Optional.of(m.to()))
            && toLive) {
          recorder.record(
              new MoveFinished(
                  m.moveId(),
                  m.to(),
                  "switched over before " + hostId + " vanished",
                  e.took(),
                  e.paused()));
          mover.forget(m.moveId());
        } else if (st instanceof MoveStatus.Ended e && e.runningOn().equals(Optional.of(m.to()))) {
          lose( // the build went down with the destination it switched over onto
              m.agentId(),
              m.to(),
              "move "
                  + m.moveId()
                  + " switched over onto "
                  + m.to()
                  + ", a host the journal has as gone, as its source host "
                  + hostId
                  + " vanished ("
                  + why
                  + ")");
          mover.forget(m.moveId());
          removals.remove(m.agentId(), m.to());
        } else {
          lose(
              m.agentId(),
              hostId,
              "source host "
                  + hostId
                  + " vanished ("
                  + why
                  + ") before move "
                  + m.moveId()
                  + " to "
                  + m.to()
                  + (toLive ? "" : " (a host the journal has as gone)")
                  + " finished");
          if (st instanceof MoveStatus.Ended e) {
            mover.forget(m.moveId());
            e.runningOn().ifPresent(h -> removals.remove(m.agentId(), h));
          }
        }
      }
    }
    List<String> on = List.copyOf(s.agentsOn(hostId));
    for (String id : on) {
      Agent a = s.findAgent(id).orElseThrow();
      if (a.phase() == AgentPhase.PLACED) {
        recorder.record(
            new AgentPhaseChanged(id, AgentPhase.REQUESTED, at, "host " + hostId + " vanished"));
      } else if (a.phase() != AgentPhase.MIGRATING) {
        lose(id, hostId, "host " + hostId + " vanished (" + why + ")");
      }
    }
    recorder.record(new HostPhaseChanged(hostId, HostPhase.GONE, why));
  }

  /**
   * Records the agent's build as lost with {@code reason} and requeues it; its standing copy, if
   * any, is dropped first.
   */
  public void lose(String agentId, String hostId, String reason) {
    recorder
        .state()
        .copyOf(agentId)
        .ifPresent(c -> new CopyDrop(recorder, mover).drop(c, "agent lost: " + reason));
    recorder.record(new AgentLost(agentId, hostId, reason, ids.next("agent"), clock.instant()));
  }
}
