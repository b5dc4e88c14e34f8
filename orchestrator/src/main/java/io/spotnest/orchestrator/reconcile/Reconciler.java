package io.spotnest.orchestrator.reconcile;

import io.spotnest.orchestrator.journal.JournalRecord.AgentAdopted;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.Move;
import io.spotnest.orchestrator.model.StandingCopy;
import io.spotnest.orchestrator.port.AgentMover;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.port.MoveStatus;
import io.spotnest.orchestrator.tick.AgentBoot;
import io.spotnest.orchestrator.tick.HostKeeper;
import io.spotnest.orchestrator.tick.HostLoss;
import io.spotnest.orchestrator.tick.MoveTracker;
import io.spotnest.orchestrator.tick.Recorder;
import io.spotnest.orchestrator.tick.StandingCopies;
import io.spotnest.orchestrator.tick.SyncGate;
import io.spotnest.orchestrator.tick.VmRemovals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings the replayed model in line with the real world after a start (R10). In order: each move
 * the journal started is attached to or resolved by the mover (one copy kept); the cloud listing is
 * compared (hosts launched while we were down become ready, missing hosts are lost, orphans are
 * terminated); cut-off launches and terminations are re-issued under their journaled keys
 * (voluntary work stays off unless the listing worked); then each agent is located: a VM found
 * running on a live host is adopted, one found on a host the model has as gone is a lost build and
 * is removed there (never booted again beside it), a booting agent with no VM is booted again, a
 * running agent with no VM anywhere is a lost build (recorded and requeued), a VM of an agent that
 * is gone is removed; so is the VM of a boot again that failed (it may have started before the call
 * failed). Each removal is handed to the removal worker ({@link VmRemovals}): the reconciliation
 * neither waits for a host nor stops for one that does not answer, and the worker tries until it
 * works. Standing copies do not survive a restart (their streams were the old controller's): each
 * one the journal holds is dropped (stopped, its backup cleaned, its reservation freed) and the
 * next tick asks for it again if the plan still wants it; a paused incoming copy no journal record
 * owns is removed from every host but the one the VM runs on.
 */
public final class Reconciler {
  private final Recorder recorder;
  private final AgentMover mover;
  private final VmRemovals removals;
  private final AgentBoot boots;
  private final HostKeeper hosts;
  private final MoveTracker tracker;
  private final HostLoss loss;
  private final SyncGate gate;
  private final StandingCopies copies;

  public Reconciler(
      Recorder recorder,
      AgentMover mover,
      VmRemovals removals,
      AgentBoot boots,
      HostKeeper hosts,
      MoveTracker tracker,
      HostLoss loss,
      SyncGate gate,
      StandingCopies copies) {
    this.copies = copies;
    this.recorder = recorder;
    this.mover = mover;
    this.removals = removals;
    this.boots = boots;
    this.hosts = hosts;
    this.tracker = tracker;
    this.loss = loss;
    this.gate = gate;
  }

  public void reconcile(Instant now) {
    FleetState s = recorder.state();
    for (Move m : new ArrayList<>(s.moves())) {
      MoveStatus st =
          mover.attach(
              new MoveOrder(m.moveId(), m.agentId(), m.from(), m.to(), m.deadline(), m.forced()));
      if (st instanceof MoveStatus.Ended e) {
        tracker.end(m, e);
      }
    }
    for (StandingCopy c : List.copyOf(s.copies())) {
      copies.drop(
          c, "controller restart: the stream was the old controller's; asked again if wanted");
    }
    boolean listed = hosts.observe(now).listed();
    hosts.resumeIntents();
    List<String> settled =
        s.agents().stream().filter(a -> a.phase() != AgentPhase.MIGRATING).map(Agent::id).toList();
    Map<String, Optional<String>> where = mover.locateAll(settled);
    Map<String, Optional<String>> sweep = new LinkedHashMap<>();
    for (String id : settled) {
      Agent current = recorder.state().findAgent(id).orElseThrow();
      locate(current, where.getOrDefault(id, Optional.empty()), sweep);
    }
    if (!sweep.isEmpty()) {
      mover.clearStandbys(sweep);
    }
    if (listed) {
      gate.reconciled();
    }
  }

  private void boot(Agent a) {
    try {
      boots.boot(a, a.hostId());
    } catch (RuntimeException e) {
      loss.lose(
          a.id(), a.hostId(), "boot on " + a.hostId() + " failed at restart: " + e.getMessage());
      removals.remove(a.id(), a.hostId());
    }
  }

  /**
   * Settles one agent from where its VM was found; the standbys to clear ({@code sweep}: where the
   * agent runs, or empty once it is gone) are cleared together afterwards.
   */
  private void locate(Agent a, Optional<String> at, Map<String, Optional<String>> sweep) {
    FleetState s = recorder.state();
    if (a.phase() == AgentPhase.GONE) {
      at.ifPresent(h -> removals.remove(a.id(), h));
      sweep.put(a.id(), Optional.empty());
      return;
    }
    boolean hostLive = at.flatMap(s::findHost).map(h -> h.live()).orElse(false);
    if (at.isPresent() && hostLive) {
      if (!at.get().equals(a.hostId()) || !a.mayRun()) {
        recorder.record(new AgentAdopted(a.id(), at.get(), "found running at restart"));
      }
      sweep.put(a.id(), at);
      return;
    }
    if (at.isPresent() && a.mayRun()) {
      String h = at.get();
      loss.lose(
          a.id(), h, "agent VM found at restart on " + h + ", a host the journal has as gone");
      removals.remove(a.id(), h);
      sweep.put(a.id(), Optional.empty());
      return;
    }
    switch (a.phase()) {
      case REQUESTED, PLACED -> {}
      case BOOTING -> boot(a);
      default ->
          loss.lose(
              a.id(),
              a.hostId(),
              "agent VM not running on any host at restart (journal had it "
                  + a.phase()
                  + " on "
                  + a.hostId()
                  + ")");
    }
  }
}
