package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.journal.JournalRecord.MoveFinished;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.model.Move;
import io.spotnest.orchestrator.port.AgentMover;
import io.spotnest.orchestrator.port.MoveStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Follows moves in flight to their end. A move that ended on its source remembers the failed
 * destination so the next attempt tries another; a VM that ended up nowhere, or on a host that is
 * gone, is a lost build, and a VM on such a host (it may still answer) is removed there once the
 * loss is journaled. The mover forgets a move once its end is journaled ({@link
 * AgentMover#forget}), not when it is read: a tick that fails to journal it reads it again.
 */
public final class MoveTracker {
  private final Recorder recorder;
  private final AgentMover mover;
  private final HostLoss loss;
  private final VmRemovals removals;
  private final Map<String, Set<String>> failedDestinations = new HashMap<>();

  public MoveTracker(Recorder recorder, AgentMover mover, HostLoss loss, VmRemovals removals) {
    this.recorder = recorder;
    this.mover = mover;
    this.loss = loss;
    this.removals = removals;
  }

  /** Polls every move in flight; returns how many ended. */
  public int poll() {
    int ended = 0;
    for (Move m : new ArrayList<>(recorder.state().moves())) {
      if (mover.status(m.moveId()) instanceof MoveStatus.Ended e) {
        end(m, e);
        ended++;
      }
    }
    return ended;
  }

  /** Records how {@code m} ended. */
  public void end(Move m, MoveStatus.Ended e) {
    FleetState s = recorder.state();
    Optional<String> on = e.runningOn();
    boolean hostLive = on.flatMap(s::findHost).map(ManagedHost::live).orElse(false);
    if (on.isEmpty() || !hostLive) {
      loss.lose(
          m.agentId(),
          on.orElse(m.from()), // the vanished host the VM was left on names the loss
          "move "
              + m.moveId()
              + " from "
              + m.from()
              + " to "
              + m.to()
              + " left the VM "
              + on.map(h -> "on vanished host " + h).orElse("running nowhere")
              + ": "
              + e.detail());
      mover.forget(m.moveId());
      on.ifPresent(h -> removals.remove(m.agentId(), h));
      return;
    }
    recorder.record(new MoveFinished(m.moveId(), on.get(), e.detail(), e.took(), e.paused()));
    mover.forget(m.moveId());
    if (on.get().equals(m.from())) {
      failedDestinations.computeIfAbsent(m.agentId(), a -> new HashSet<>()).add(m.to());
    } else {
      failedDestinations.remove(m.agentId());
    }
  }

  /** Destinations that already failed for this agent. */
  public Set<String> failedFor(String agentId) {
    return failedDestinations.getOrDefault(agentId, Set.of());
  }
}
