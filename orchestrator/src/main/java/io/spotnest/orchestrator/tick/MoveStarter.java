package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.journal.JournalRecord.HostPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.MoveFinished;
import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.placement.MigrationSlots;
import io.spotnest.orchestrator.placement.Placement;
import io.spotnest.orchestrator.port.AgentMover;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.MoveOrder;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the moves of one lane in order: takes the strategy's destination when it names a ready
 * host with room (else a forced move gets one picked, a voluntary one waits; never the source,
 * never one that already failed for the agent), takes a migration slot, journals the move with its
 * absolute deadline, then asks the mover. Destinations are only ever hosts already ready, so a
 * voluntary move is make-before-break; its source is marked at risk first (even while it waits for
 * a destination) so nothing new lands there.
 */
public final class MoveStarter {
  private static final System.Logger LOG = System.getLogger(MoveStarter.class.getName());
  private final Recorder recorder;
  private final AgentMover mover;
  private final Placement placement;
  private final MoveTracker tracker;
  private final Ids ids;

  /**
   * What one lane did: evacuations started, those still waiting (no destination or no slot), and
   * among them those with no destination at all (capacity to launch).
   */
  public record Result(
      List<MoveOrder> started, List<Evacuation> waiting, List<Evacuation> homeless) {
    /** Memory of the waiting agents that no ready host can take. */
    public long homelessMiB(FleetState s) {
      return homeless.stream()
          .mapToLong(e -> s.findAgent(e.agentId()).map(Agent::ramMiB).orElse(0L))
          .sum();
    }
  }

  public MoveStarter(
      Recorder recorder, AgentMover mover, Placement placement, MoveTracker tracker, Ids ids) {
    this.recorder = recorder;
    this.mover = mover;
    this.placement = placement;
    this.tracker = tracker;
    this.ids = ids;
  }

  public Result start(
      List<Evacuation> lane,
      boolean forced,
      MigrationSlots slots,
      Map<PoolKey, Double> risk,
      Instant now) {
    FleetState s = recorder.state();
    List<MoveOrder> started = new ArrayList<>();
    List<Evacuation> waiting = new ArrayList<>();
    List<Evacuation> homeless = new ArrayList<>();
    for (Evacuation e : lane) {
      Agent a = s.findAgent(e.agentId()).orElseThrow();
      if (!e.deadline().isAfter(now)) {
        LOG.log(
            Level.WARNING,
            "evacuation of {0} from {1}: deadline {2} already passed",
            a.id(),
            e.hostId(),
            e.deadline());
        continue;
      }
      if (!forced && s.findHost(a.hostId()).orElseThrow().phase() == HostPhase.READY) {
        recorder.record(
            new HostPhaseChanged(
                a.hostId(), HostPhase.AT_RISK, "voluntary evacuation: " + e.reason()));
      }
      var named = e.to().filter(to -> placement.canTake(to, a, s, tracker.failedFor(a.id())));
      if (!forced && e.to().isPresent() && named.isEmpty()) {
        waiting.add(
            e); // a voluntary move (move back, consolidation) goes to its own destination or waits
        continue;
      }
      var dest = named.or(() -> placement.destinationFor(a, s, risk, tracker.failedFor(a.id())));
      if (dest.isEmpty()) {
        waiting.add(e);
        homeless.add(e);
        continue;
      }
      if (!slots.take(a.hostId(), dest.get())) {
        waiting.add(e);
        continue;
      }
      MoveOrder order =
          new MoveOrder(ids.next("move"), a.id(), a.hostId(), dest.get(), e.deadline(), forced);
      recorder.record(
          new MoveStarted(
              order.moveId(),
              order.agentId(),
              order.from(),
              order.to(),
              order.deadline(),
              forced,
              now,
              e.reason()));
      try {
        mover.start(order);
        started.add(order);
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "mover refused " + order, ex);
        recorder.record(
            new MoveFinished(order.moveId(), order.from(), "mover refused: " + ex.getMessage()));
      }
    }
    return new Result(started, waiting, homeless);
  }
}
