package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.journal.JournalRecord.HostPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.MoveFinished;
import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.model.StandingCopy;
import io.spotnest.orchestrator.placement.MigrationSlots;
import io.spotnest.orchestrator.placement.Placement;
import io.spotnest.orchestrator.port.AgentMover;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.MoveOrder;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Starts the moves of one lane in order: takes the strategy's destination when it names a ready
 * host with room (else a forced move gets one picked, a voluntary one waits; never the source,
 * never one that already failed for the agent), takes a migration slot, journals the move with its
 * absolute deadline, then asks the mover. Destinations are only ever hosts already ready, so a
 * voluntary move is make-before-break; its source is marked at risk first (even while it waits for
 * a destination) so nothing new lands there. In the forced lane a move starts only if the mover's
 * estimate (with the moves that would share its busier host) still ends by the deadline, else it
 * waits for a freer slot; one that cannot make it even alone is reported as late and gets what
 * slots are left after every evacuation that can still make it (a forced move tries). A forced
 * evacuation of an agent with a standing copy on a backup that may take it flushes that copy
 * instead, and so does a voluntary one (a risk move of a strategy that does not know the copy, an
 * operator's move) that names no destination or names the backup (no estimate: the stream already
 * runs; no new slot: the flush reuses the one its copy's stream holds, see {@link MigrationSlots});
 * any other move of such an agent drops its copy first (giving its slot back), and a move to the
 * copy's backup is its flush. A forced move that finds no slot takes those of standing copies whose
 * own source has no notice or drain (dropped first).
 */
public final class MoveStarter {
  private static final System.Logger LOG = System.getLogger(MoveStarter.class.getName());
  private final Duration voluntaryWindow;
  private final Recorder recorder;
  private final AgentMover mover;
  private final Placement placement;
  private final MoveTracker tracker;
  private final Ids ids;
  private final StandingCopies copies;
  private final Set<String> reportedLate = new HashSet<>();

  /**
   * What one lane did: evacuations started, those still waiting (no destination or no slot), among
   * them those with no destination at all that a new host could take (capacity to launch), and, for
   * the forced lane, one line per evacuation that cannot finish by its deadline (started anyway
   * with what slots were left, or left on its source).
   */
  public record Result(
      List<MoveOrder> started,
      List<Evacuation> waiting,
      List<Evacuation> homeless,
      List<String> late) {
    /** Memory of the waiting agents that no ready host can take. */
    public long homelessMiB(FleetState s) {
      return homeless.stream()
          .mapToLong(e -> s.findAgent(e.agentId()).map(Agent::ramMiB).orElse(0L))
          .sum();
    }
  }

  /**
   * @param voluntaryWindow the least time a voluntary move is given ({@link
   *     FleetConfig#voluntaryWindow()})
   */
  public MoveStarter(
      Recorder recorder,
      AgentMover mover,
      Placement placement,
      MoveTracker tracker,
      Ids ids,
      Duration voluntaryWindow,
      StandingCopies copies) {
    this.voluntaryWindow = voluntaryWindow;
    this.copies = copies;
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
    List<Evacuation> hopeless = new ArrayList<>();
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
      Optional<String> backup =
          copies
              .flushable(a)
              .map(StandingCopy::backup)
              .filter(b -> forced || e.to().isEmpty() || e.to().get().equals(b));
      if (backup.isPresent()) {
        begin(a, e, backup.get(), forced, slots, now).ifPresent(started::add);
        continue;
      }
      Set<String> failed = tracker.failedFor(a.id());
      var named = e.to().filter(to -> placement.canTake(to, a, s, failed));
      if (!forced && e.to().isPresent() && named.isEmpty()) {
        waiting.add(
            e); // a voluntary move (move back, consolidation) goes to its own destination or waits
        continue;
      }
      Optional<String> best = namedOrBest(a, named, s, risk, failed);
      Optional<String> dest = forced ? forcedDestination(a, best, slots, risk, failed) : best;
      if (forced && dest.isEmpty() && giveWay(a, best, slots)) {
        // chosen again: the dropped copies freed their backups' memory as well as their slots, so
        // a host that had no room may now be the best (CopySlotsTickTest)
        dest = forcedDestination(a, namedOrBest(a, named, s, risk, failed), slots, risk, failed);
      }
      if (forced
          && (dest.isEmpty()
              || !fits(a, e, dest.get(), slots.sharing(a.hostId(), dest.get()), now))) {
        if (!fits(a, e, dest.or(() -> bestRoom(a, risk, failed)).orElse(null), 1, now)) {
          hopeless.add(e); // cannot finish even alone on its link: after every one that can
          continue;
        }
        waiting.add(e);
        if (dest.isEmpty()
            && bestRoom(a, risk, failed).isEmpty()
            && placement.newHostCouldTake(a)) {
          homeless.add(e); // no ready host has room: capacity to launch
        }
        continue;
      }
      if (dest.isEmpty()) {
        waiting.add(e);
        if (placement.newHostCouldTake(a)) {
          homeless.add(e);
        }
        continue;
      }
      if (!slots.take(a.hostId(), dest.get())) {
        waiting.add(e);
        continue;
      }
      begin(a, e, dest.get(), forced, slots, now).ifPresent(started::add);
    }
    List<String> late = new ArrayList<>();
    for (Evacuation e : hopeless) {
      Agent a = s.findAgent(e.agentId()).orElseThrow();
      Set<String> failed = tracker.failedFor(a.id());
      Optional<String> named = e.to().filter(to -> placement.canTake(to, a, s, failed));
      Optional<String> dest =
          forcedDestination(a, namedOrBest(a, named, s, risk, failed), slots, risk, failed);
      Optional<MoveOrder> order =
          dest.isPresent() && slots.take(a.hostId(), dest.get())
              ? begin(a, e, dest.get(), true, slots, now)
              : Optional.empty();
      order.ifPresent(started::add);
      late.add(late(a, e, dest.or(() -> bestRoom(a, risk, failed)).orElse(null), order, now));
    }
    return new Result(started, waiting, homeless, late);
  }

  /**
   * Journals the move, then asks the mover (a move to the agent's standing copy's backup flushes
   * it; any other drops the copy first); empty when the mover refused it.
   */
  private Optional<MoveOrder> begin(
      Agent a, Evacuation e, String to, boolean forced, MigrationSlots slots, Instant now) {
    Instant deadline = forced ? e.deadline() : latest(e.deadline(), now.plus(voluntaryWindow));
    Optional<StandingCopy> copy = recorder.state().copyOf(a.id());
    boolean flush = copy.isPresent() && copy.get().backup().equals(to);
    if (copy.isPresent() && !flush) {
      copies.drop(copy.get(), "a move to " + to + " replaces it");
      slots.release(copy.get());
    }
    MoveOrder order = new MoveOrder(ids.next("move"), a.id(), a.hostId(), to, deadline, forced);
    recorder.record(
        new MoveStarted(
            order.moveId(),
            order.agentId(),
            order.from(),
            order.to(),
            order.deadline(),
            forced,
            now,
            flush ? e.reason() + "; standing-copy flush of " + copy.get().copyId() : e.reason()));
    try {
      if (flush) {
        mover.flushCopy(copy.get().order(), order);
      } else {
        mover.start(order);
      }
      return Optional.of(order);
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "mover refused " + order, ex);
      recorder.record(
          new MoveFinished(order.moveId(), order.from(), "mover refused: " + ex.getMessage()));
      return Optional.empty();
    }
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /**
   * The strategy's destination for the agent if it named one, else the best ready host with room.
   */
  private Optional<String> namedOrBest(
      Agent a,
      Optional<String> named,
      FleetState s,
      Map<PoolKey, Double> risk,
      Set<String> failed) {
    return named.or(() -> placement.destinationFor(a, s, risk, failed));
  }

  /** The best ready host with room for the agent, whatever its migration slots. */
  private Optional<String> bestRoom(Agent a, Map<PoolKey, Double> risk, Set<String> failed) {
    return placement.destinationFor(a, recorder.state(), risk, failed);
  }

  /**
   * A forced move's destination: {@code best} (the strategy's, if it has room, else the best ready
   * host with room) if it has a free slot, else the best ready host with a free slot for a move
   * from the agent's host, so a burst of notices spreads over the warm pool instead of queueing
   * behind the best host's slots. A busy best host is not traded for a spot host in the source's
   * own pool (notices come in bursts per pool): then it waits. Empty while the source itself has no
   * slot.
   */
  private Optional<String> forcedDestination(
      Agent a,
      Optional<String> best,
      MigrationSlots slots,
      Map<PoolKey, Double> risk,
      Set<String> failed) {
    FleetState s = recorder.state();
    if (!slots.hostFree(a.hostId())) {
      return Optional.empty();
    }
    if (best.isEmpty() || slots.free(a.hostId(), best.get())) {
      return best;
    }
    ManagedHost source = s.findHost(a.hostId()).orElseThrow();
    Set<String> avoid = new HashSet<>(failed);
    for (ManagedHost h : s.hosts()) {
      boolean samePool = h.market() == Market.SPOT && h.pool().equals(source.pool());
      if (samePool || !slots.free(a.hostId(), h.id())) {
        avoid.add(h.id());
      }
    }
    return placement.destinationFor(a, s, risk, avoid);
  }

  /**
   * Drops the standing copies that hold the slots a forced move of {@code a} to its {@code best}
   * destination lacks (on its source, that destination or their link), each only when its own
   * source has no notice and no drain (a copy that a forced move will flush stays); journaled
   * first, slots given back. True when one was dropped.
   */
  private boolean giveWay(Agent a, Optional<String> best, MigrationSlots slots) {
    FleetState s = recorder.state();
    if (best.isEmpty()) {
      return false;
    }
    String from = a.hostId();
    String to = best.get();
    boolean dropped = false;
    for (StandingCopy c : List.copyOf(s.copies())) {
      if (slots.free(from, to)) {
        break;
      }
      boolean forcedItself =
          s.findHost(c.from()).map(h -> h.noticeDeadline() != null).orElse(true)
              || s.drainDeadline(c.from()).isPresent();
      boolean holds =
          (!slots.hostFree(from) && touches(c, from))
              || (!slots.hostFree(to) && touches(c, to))
              || (!slots.linkFree(from, to) && touches(c, from) && touches(c, to));
      if (c.agentId().equals(a.id()) || forcedItself || !holds) {
        continue;
      }
      copies.drop(c, "a forced move of " + a.id() + " needs its migration slot");
      slots.release(c);
      dropped = true;
    }
    return dropped;
  }

  private static boolean touches(StandingCopy c, String hostId) {
    return c.from().equals(hostId) || c.backup().equals(hostId);
  }

  /** Whether the engine expects the move to finish by the deadline with {@code sharing} moves. */
  private boolean fits(Agent a, Evacuation e, String to, int sharing, Instant now) {
    return !now.plus(mover.estimate(a.hostId(), to, a.ramMiB(), sharing)).isAfter(e.deadline());
  }

  private String late(
      Agent a, Evacuation e, String toward, Optional<MoveOrder> started, Instant now) {
    Duration takes = mover.estimate(a.hostId(), toward, a.ramMiB(), 1);
    String line =
        "evacuation of "
            + a.id()
            + " from "
            + e.hostId()
            + " cannot finish by its deadline "
            + e.deadline()
            + ": the engine estimates "
            + takes.toSeconds()
            + " s alone on the link, so it had to start by "
            + e.deadline().minus(takes)
            + (started.isPresent()
                ? "; started anyway to " + started.get().to() + " (a forced move tries)"
                : "; no destination or migration slot free, left on its source (lost and requeued"
                    + " if the host is reclaimed)");
    if (reportedLate.add(a.id() + "@" + e.deadline() + started.isPresent())) {
      LOG.log(Level.WARNING, line);
    }
    return line;
  }
}
