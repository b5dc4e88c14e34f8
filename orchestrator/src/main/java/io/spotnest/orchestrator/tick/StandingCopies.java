package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.journal.JournalRecord.CopyDropped;
import io.spotnest.orchestrator.journal.JournalRecord.CopyEnded;
import io.spotnest.orchestrator.journal.JournalRecord.CopyStarted;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
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
import io.spotnest.orchestrator.port.CopyStatus;
import io.spotnest.orchestrator.port.CrossZoneCopyCost;
import io.spotnest.strategy.fleet.CopyMode;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Keeps the standing copies (issue 12) the strategy's plan asks for. Each tick: a copy whose stream
 * ended by itself is recorded where the VM runs (on the backup it is a finished move); a copy is
 * dropped when its agent is gone or no longer runs on its source, when its backup is at risk,
 * noticed or gone, or when the plan no longer asks for it; then each agent the plan marks and that
 * has none gets one on a backup host picked like a move's destination (in its zone first, where the
 * stream is free, another pool first, never its own host; its memory reserved there), journaled
 * before the mover is asked. A copy that only another zone has room for goes there, and the journal
 * and the tick report say what its transfer costs as the strategy prices it ({@link
 * io.spotnest.orchestrator.port.RiskStrategy#crossZoneCopyCost}). Its stream takes a migration slot
 * like a move ({@link MigrationSlots}); copies start after the tick's moves took theirs, and one
 * whose backup has room but no free slot waits. When no ready host has room for a marked agent's
 * backup (hosts of a pool too risky to take agents never can), its memory is reported so that the
 * tick launches an on-demand backup host the usual way ({@link HostKeeper#launchFor}: journaled
 * first, within the host limit, capacity launching counted). A copy ends with a move of its agent:
 * a notice flushes it ({@link MoveStarter}).
 *
 * <p>Where the standby's memory is (issue 12 item 6) is decided from the journal's facts, never
 * hoped for: a file on the backup only for an agent whose VM was booted with its memory in a file
 * ({@link io.spotnest.orchestrator.model.Agent#memory}, journaled with its boot) and a backup whose
 * standby store ({@link FleetConfig#standbyStoreMiB}) has room for the file; in RAM otherwise, and
 * the copy's order says which, so the mover keeps exactly the standby journaled. A file-backed
 * standby reserves RAM on its backup by the rule of {@link FleetState#usedMiB}: once per source
 * host. A VM running from a shared file (flushed from such a standby) gets only file-backed
 * standbys, since libvirt would carry its file to any backup. A file-backed copy is flushed only
 * while its flush fits ({@link FleetState#flushFits}), and dropped when it no longer does (another
 * source flushed onto its backup), so a backup is never promised more RAM than it has.
 *
 * <p>Only an agent whose request the fleet's {@link FleetConfig#copyMode()} may copy ({@link
 * CopyMode#mayCopy}) is ever given one, whatever the plan marks: one that asked in every mode but
 * OFF, one that left it to the fleet only in AT_RISK, one that refused never. The mode decides when
 * (HAZARD and AT_RISK: while its expected loss beats the copy's cost; ALWAYS: whenever it runs on
 * spot).
 */
public final class StandingCopies {
  /** How long an agent whose copy failed waits before it is given another (the first time). */
  static final Duration FIRST_RETRY = Duration.ofMinutes(1);

  /** The longest such wait: the first doubles with each failure in a row up to this. */
  static final Duration LONGEST_RETRY = Duration.ofMinutes(30);

  private static final System.Logger LOG = System.getLogger(StandingCopies.class.getName());
  private final CopyBackoff backoff = new CopyBackoff(FIRST_RETRY, LONGEST_RETRY);
  private final Recorder recorder;
  private final AgentMover mover;
  private final Placement placement;
  private final HostLoss loss;
  private final Ids ids;
  private final LongFunction<Optional<CrossZoneCopyCost>> transferPrice;
  private final Set<String> waitingForRoom = new HashSet<>();
  private final long standbyStoreMiB;

  /**
   * What one pass did; {@code backupMiB} is the memory of the marked agents that no ready host has
   * room to back up (a backup host to launch); {@code crossZone} has one line per copy started on a
   * backup in another zone than its source, with what its transfer costs.
   */
  public record Result(
      int started, int dropped, int ended, long backupMiB, List<String> crossZone) {
    public Result {
      crossZone = List.copyOf(crossZone);
    }
  }

  /** How one agent's copy fared. */
  private enum Start {
    STARTED,
    WAITS,
    NO_ROOM
  }

  /**
   * @param transferPrice what a cross-zone copy of an agent of the given memory (MiB) costs in
   *     transfer, empty when unpriced (the strategy's {@code crossZoneCopyCost})
   * @param standbyStoreMiB room for standby files on each host ({@link
   *     FleetConfig#standbyStoreMiB}; 0: every standby in RAM)
   */
  public StandingCopies(
      Recorder recorder,
      AgentMover mover,
      Placement placement,
      HostLoss loss,
      Ids ids,
      LongFunction<Optional<CrossZoneCopyCost>> transferPrice,
      long standbyStoreMiB) {
    this.standbyStoreMiB = standbyStoreMiB;
    this.recorder = recorder;
    this.mover = mover;
    this.placement = placement;
    this.loss = loss;
    this.ids = ids;
    this.transferPrice = transferPrice;
  }

  /**
   * @param wanted the agents the plan wants a copy for; empty when no plan is known this tick (then
   *     no copy is started or dropped for the plan's sake)
   * @param mayStart whether new copies may start (voluntary work is allowed)
   * @param slots the migration slots left this tick: a new copy's stream takes one (on its source,
   *     its backup and their link), a dropped copy gives its own back
   * @param mode the fleet's copy mode: whose request a copy may be started for
   */
  public Result keep(
      Optional<Set<String>> wanted,
      boolean mayStart,
      MigrationSlots slots,
      Map<PoolKey, Double> risk,
      Instant now,
      CopyMode mode) {
    FleetState s = recorder.state();
    int dropped = 0;
    int ended = 0;
    for (StandingCopy c : List.copyOf(s.copies())) {
      Agent a = s.findAgent(c.agentId()).orElse(null);
      if (a == null || a.phase() == AgentPhase.GONE || !c.from().equals(a.hostId())) {
        drop(c, "agent " + c.agentId() + " is gone from " + c.from());
        slots.release(c);
        dropped++;
        continue;
      }
      CopyStatus status = mover.copyStatus(c.order());
      if (status instanceof CopyStatus.Ended e) {
        end(c, e, now);
        slots.release(c);
        ended++;
        continue;
      }
      backoff.succeeded(c.agentId()); // it stands
      String why = dropReason(c, wanted);
      if (why != null) {
        drop(c, why);
        slots.release(c);
        dropped++;
      }
    }
    int started = 0;
    long backupMiB = 0;
    List<String> crossZone = new ArrayList<>();
    if (mayStart && wanted.isPresent()) {
      for (String id : wanted.get()) {
        switch (start(id, slots, risk, now, crossZone, mode)) {
          case STARTED -> started++;
          case NO_ROOM -> backupMiB += s.findAgent(id).map(Agent::ramMiB).orElse(0L);
          case WAITS -> {}
        }
      }
    }
    return new Result(started, dropped, ended, backupMiB, crossZone);
  }

  /**
   * The agent's copy if a notice may flush it now: its backup is live, has no notice and is not
   * draining, and has room for the flush ({@link FleetState#flushFits}).
   */
  public Optional<StandingCopy> flushable(Agent a) {
    return flushable(recorder.state(), a);
  }

  /** As {@link #flushable(Agent)} in {@code s}. */
  static Optional<StandingCopy> flushable(FleetState s, Agent a) {
    return s.copyOf(a.id())
        .filter(c -> c.from().equals(a.hostId()))
        .filter(
            c ->
                s.findHost(c.backup())
                    .filter(h -> h.live() && h.noticeDeadline() == null)
                    .filter(h -> h.phase() == HostPhase.READY || h.phase() == HostPhase.AT_RISK)
                    .isPresent())
        .filter(s::flushFits);
  }

  /** Journals the drop (the reservation is freed), then asks the mover to stop the copy. */
  public void drop(StandingCopy c, String reason) {
    new CopyDrop(recorder, mover).drop(c, reason);
  }

  private void end(StandingCopy c, CopyStatus.Ended e, Instant now) {
    FleetState s = recorder.state();
    Optional<String> on =
        e.runningOn()
            .filter(h -> h.equals(c.from()) || h.equals(c.backup()))
            .filter(h -> s.findHost(h).map(ManagedHost::live).orElse(false));
    if (on.isEmpty()) {
      loss.lose(
          c.agentId(),
          c.from(),
          "standing copy "
              + c.copyId()
              + " on "
              + c.backup()
              + " ended with the VM "
              + e.runningOn().map(h -> "on " + h).orElse("running nowhere")
              + ": "
              + e.detail());
      return;
    }
    recorder.record(new CopyEnded(c.copyId(), on.get(), e.detail()));
    if (on.get().equals(c.from())) {
      failed(c, "ended with the VM on its source: " + e.detail(), now);
    } else {
      backoff.succeeded(c.agentId()); // a finished move to the backup
    }
  }

  /** Counts a failed copy: its agent gets no other before the backoff's time, said once. */
  private void failed(StandingCopy c, String why, Instant now) {
    Instant retryAt = backoff.failed(c.agentId(), now);
    LOG.log(
        Level.WARNING,
        "standing copy {0} of {1} {2}; no other copy of {1} before {3}",
        c.copyId(),
        c.agentId(),
        why,
        retryAt);
  }

  private String dropReason(StandingCopy c, Optional<Set<String>> wanted) {
    FleetState s = recorder.state();
    Agent a = s.findAgent(c.agentId()).orElseThrow();
    if (a.phase() != AgentPhase.ONLINE && a.phase() != AgentPhase.BUSY) {
      return "agent " + c.agentId() + " is " + a.phase();
    }
    ManagedHost backup = s.findHost(c.backup()).orElse(null);
    if (backup == null
        || !backup.live()
        || backup.noticeDeadline() != null
        || backup.phase() != HostPhase.READY) {
      return "backup "
          + c.backup()
          + " is "
          + (backup == null
              ? "unknown"
              : backup.noticeDeadline() != null ? "noticed" : backup.phase())
          + ": another backup is chosen";
    }
    if (!s.flushFits(c)) {
      return "backup "
          + c.backup()
          + " has no more room for the flush of the file-backed standbys from "
          + c.from()
          + " (another source's VMs run there now): another backup is chosen";
    }
    if (wanted.isPresent() && !wanted.get().contains(c.agentId())) {
      return "the plan no longer asks for a standing copy of " + c.agentId();
    }
    return null;
  }

  /**
   * Starts a copy of the agent if {@code mode} may copy it (its request), has none and may get one
   * (a backup with room and a free migration slot, which it takes); {@link Start#NO_ROOM} when it
   * may but no ready host has room for its backup. A copy started in another zone adds its line to
   * {@code crossZone}.
   */
  private Start start(
      String agentId,
      MigrationSlots slots,
      Map<PoolKey, Double> risk,
      Instant now,
      List<String> crossZone,
      CopyMode mode) {
    FleetState s = recorder.state();
    Agent a = s.findAgent(agentId).orElse(null);
    if (a == null
        || !mode.mayCopy(a.copy())
        || (a.phase() != AgentPhase.ONLINE && a.phase() != AgentPhase.BUSY)
        || s.copyOf(agentId).isPresent()
        || s.moveOf(agentId).isPresent()
        || !backoff.mayStart(agentId, now)) {
      return Start.WAITS;
    }
    ManagedHost source = s.findHost(a.hostId()).orElse(null);
    if (source == null || !source.live() || source.noticeDeadline() != null) {
      return Start.WAITS;
    }
    Backup backup = backupFor(a, source, risk, slots);
    if (backup.host().isEmpty() && !backup.room() && !placement.newHostCouldTake(a)) {
      if (waitingForRoom.add(agentId)) {
        LOG.log(
            Level.WARNING,
            "no standing copy of {0}: its VM runs from a shared file, so its standby would be a"
                + " file of {1} MiB, more than a host''s standby store ({2} MiB) holds",
            agentId,
            a.ramMiB(),
            standbyStoreMiB);
      }
      return Start.WAITS; // no host to launch for it: a new one could not take it either
    }
    if (backup.host().isEmpty()) {
      if (!backup.room() && waitingForRoom.add(agentId)) { // said once, not every tick
        LOG.log(
            Level.INFO,
            "no backup host has room for a standing copy of {0}: an on-demand one is launched"
                + " within the host limit",
            agentId);
      }
      return backup.room() ? Start.WAITS : Start.NO_ROOM; // with room: waits for a slot
    }
    waitingForRoom.remove(agentId);
    String to = backup.host().get();
    StandingCopy c =
        new StandingCopy(ids.next("copy"), agentId, a.hostId(), to, now, backup.fileStandby());
    slots.takeFor(c); // backupFor picked a host with a free slot
    Optional<String> transfer = transfer(a, source, s.findHost(to).orElseThrow());
    recorder.record(
        new CopyStarted(
            c.copyId(),
            agentId,
            c.from(),
            c.backup(),
            now,
            "the strategy's standing-copy plan"
                + (c.fileStandby() ? "; standby in a file" : "")
                + transfer.map(t -> "; " + t).orElse(""),
            c.fileStandby()));
    try {
      mover.startCopy(c.order());
      transfer.ifPresent(
          t -> {
            String line = "standing copy " + c.copyId() + " of " + agentId + " on " + to + ": " + t;
            LOG.log(Level.INFO, line);
            crossZone.add(line);
          });
      return Start.STARTED;
    } catch (RuntimeException e) {
      recorder.record(new CopyDropped(c.copyId(), "mover refused: " + e.getMessage()));
      slots.release(c);
      failed(c, "refused by the mover: " + e.getMessage(), now);
      return Start.WAITS;
    }
  }

  /**
   * The transfer a copy from {@code source} to {@code backup} pays, when they are in different
   * zones: the zones and its cost as the strategy prices it.
   */
  private Optional<String> transfer(Agent a, ManagedHost source, ManagedHost backup) {
    String from = source.pool().zoneId();
    String to = backup.pool().zoneId();
    if (from.equals(to)) {
      return Optional.empty();
    }
    return Optional.of(
        "cross-zone "
            + from
            + " -> "
            + to
            + ": "
            + transferPrice
                .apply(a.ramMiB())
                .map(CrossZoneCopyCost::describe)
                .orElse("transfer unpriced (the strategy does not price it)"));
  }

  /**
   * A backup: the host, when one may take the copy now, and whether its standby is to be a file
   * there; {@code room} when some ready host has room for it, with or without a free migration
   * slot.
   */
  private record Backup(Optional<String> host, boolean room, boolean fileStandby) {}

  /**
   * A ready host with room other than the agent's, from the first of these that has one: the
   * source's zone outside its spot pool (a notice often takes a whole pool; a stream within a zone
   * is free), another zone (its stream pays the transfer both ways), the source's own spot pool. Of
   * that tier, one with a free migration slot for the stream (none: the copy waits for a slot
   * rather than settle for a later tier). Within a tier a file-backed standby is tried first when
   * the agent's VM may have one ({@link #standbyKinds}), then one in RAM.
   */
  private Backup backupFor(
      Agent a, ManagedHost source, Map<PoolKey, Double> risk, MigrationSlots slots) {
    FleetState s = recorder.state();
    List<Set<String>> tiers = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>());
    Set<String> noSlot = new HashSet<>();
    for (ManagedHost h : s.hosts()) {
      if (h.market() == Market.SPOT && h.pool().equals(source.pool())) {
        tiers.get(2).add(h.id());
      } else if (h.pool().zoneId().equals(source.pool().zoneId())) {
        tiers.get(0).add(h.id());
      } else {
        tiers.get(1).add(h.id());
      }
      if (!slots.free(source.id(), h.id())) {
        noSlot.add(h.id());
      }
    }
    for (Set<String> tier : tiers) {
      Set<String> avoid = new HashSet<>();
      s.hosts().stream().map(ManagedHost::id).filter(id -> !tier.contains(id)).forEach(avoid::add);
      for (boolean file : standbyKinds(a)) {
        if (placement.backupFor(a, file, s, risk, avoid).isPresent()) {
          avoid.addAll(noSlot);
          return new Backup(placement.backupFor(a, file, s, risk, avoid), true, file);
        }
      }
    }
    return new Backup(Optional.empty(), false, false);
  }

  /**
   * The standbys the agent's VM may have, file-backed first: a VM in RAM only one in RAM; one in a
   * private file one in a file when the hosts have a standby store, else in RAM; one that runs from
   * a shared file only one in a file (libvirt carries the shared file to its backup whatever is
   * asked, so it always takes store there).
   */
  private List<Boolean> standbyKinds(Agent a) {
    return switch (a.memory()) {
      case RAM -> List.of(false);
      case FILE -> standbyStoreMiB > 0 ? List.of(true, false) : List.of(false);
      case SHARED_FILE -> List.of(true);
    };
  }
}
