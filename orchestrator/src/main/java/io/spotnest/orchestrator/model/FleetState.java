package io.spotnest.orchestrator.model;

import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.AgentLost;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPlaced;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.journal.JournalRecord.HostLaunchRequested;
import io.spotnest.orchestrator.journal.JournalRecord.HostLaunched;
import io.spotnest.orchestrator.journal.JournalRecord.HostPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.HostTerminationRequested;
import io.spotnest.orchestrator.journal.JournalRecord.MoveFinished;
import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.journal.JournalRecord.NoticeRecorded;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The orchestrator's model: agents, hosts, moves in flight and lost builds, built only by applying
 * journal records. {@link #plan} checks a record against the life cycles without changing anything;
 * the returned {@link Change} applies it. The live path journals between the two, replay applies
 * directly.
 */
public final class FleetState {
  private final Map<String, Agent> agents = new LinkedHashMap<>();
  private final Map<String, ManagedHost> hosts = new LinkedHashMap<>();
  private final Map<String, ManagedHost> launching = new LinkedHashMap<>();
  private final Map<String, Move> moves = new LinkedHashMap<>();
  private final Map<String, StandingCopy> copies = new LinkedHashMap<>();
  private final Map<String, Set<String>> agentsByHost = new HashMap<>();
  private final Map<String, Long> reservedByHost = new HashMap<>();
  private final List<LostBuild> lost = new ArrayList<>();
  private final BuildHistory builds = new BuildHistory();
  private final Set<String> terminationsRequested = new LinkedHashSet<>();
  private final Map<String, java.time.Instant> launchRequestedAt = new HashMap<>();
  private final Map<PoolKey, java.time.Instant> closedUntil = new HashMap<>();
  private final Map<String, java.time.Instant> drainBy = new HashMap<>();
  private final Map<PoolKey, java.time.Instant> drainedUntil = new HashMap<>();

  /** A checked, not yet applied, change. */
  @FunctionalInterface
  public interface Change {
    void commit();
  }

  /** Applies a record at once (replay). */
  public void apply(JournalRecord r) {
    plan(r).commit();
  }

  /**
   * Checks {@code r} and returns the change it makes; throws when it breaks a life cycle or names
   * nothing known.
   */
  public Change plan(JournalRecord r) {
    if (r instanceof AgentRequested q) {
      if (agents.containsKey(q.agentId())) {
        throw new IllegalStateException("agent " + q.agentId() + " already exists");
      }
      Agent a =
          new Agent(
              q.agentId(),
              q.ramMiB(),
              q.expectedBuild(),
              AgentPhase.REQUESTED,
              null,
              null,
              q.replaces(),
              MarketPolicy.of(q.marketPolicy()),
              q.boot() != null ? q.boot() : AgentBootSpec.minimal(q.agentId(), q.ramMiB()),
              q.wish(),
              MemoryBacking.RAM); // known once it boots
      if (a.boot().ramMiB() != a.ramMiB()) {
        throw new IllegalStateException(
            "agent "
                + a.id()
                + " asks for "
                + a.ramMiB()
                + " MiB but boots with "
                + a.boot().ramMiB());
      }
      return () -> {
        putAgent(a);
        builds.requested(a.id(), q.template());
      };
    }
    if (r instanceof AgentPlaced p) {
      Agent a = agent(p.agentId()).to(AgentPhase.PLACED).on(p.hostId());
      host(p.hostId());
      return () -> putAgent(a);
    }
    if (r instanceof AgentPhaseChanged c) {
      Agent was = agent(c.agentId());
      Agent a = was.to(c.phase());
      if (c.phase() == AgentPhase.REQUESTED || c.phase() == AgentPhase.GONE) {
        a = a.on(null);
      }
      if (c.phase() == AgentPhase.BOOTING) {
        a = a.withMemory(c.memory() == null ? MemoryBacking.RAM : c.memory());
      }
      if (c.phase() == AgentPhase.BUSY) {
        a = a.busySince(c.at());
      } else if (c.phase() == AgentPhase.ONLINE) {
        a = a.busySince(null);
      }
      Agent next = a;
      boolean finished =
          was.phase() == AgentPhase.BUSY
              && c.phase() == AgentPhase.ONLINE
              && was.busySince() != null
              && c.at() != null;
      return () -> {
        putAgent(next);
        if (finished) {
          builds.finished(c.agentId(), was.busySince(), c.at());
        }
        if (c.phase() == AgentPhase.GONE) {
          builds.gone(c.agentId());
        }
      };
    }
    if (r instanceof AgentLost l) {
      Agent gone = agent(l.agentId()).to(AgentPhase.GONE).on(null);
      Agent requeued =
          l.requeuedAs() == null
              ? null
              : new Agent(
                  l.requeuedAs(),
                  gone.ramMiB(),
                  gone.expectedBuild(),
                  AgentPhase.REQUESTED,
                  null,
                  null,
                  gone.id(),
                  gone.policy(),
                  gone.boot().renamed(l.requeuedAs()),
                  gone.copy(),
                  MemoryBacking.RAM); // known once it boots
      Optional<Move> move = moveOf(l.agentId());
      Optional<StandingCopy> copy = copyOf(l.agentId());
      return () -> {
        move.ifPresent(m -> removeMove(m.moveId()));
        copy.ifPresent(c -> removeCopy(c.copyId()));
        putAgent(gone);
        if (requeued != null) {
          putAgent(requeued);
          builds.requeued(l.agentId(), l.requeuedAs());
        }
        builds.gone(l.agentId());
        lost.add(new LostBuild(l.agentId(), l.hostId(), l.reason(), l.requeuedAs()));
      };
    }
    if (r instanceof JournalRecord.AgentAdopted d) {
      Agent a = agent(d.agentId());
      host(d.hostId());
      if (a.phase() == AgentPhase.REQUESTED) {
        a = a.to(AgentPhase.PLACED);
      }
      if (a.phase() == AgentPhase.PLACED) {
        a = a.to(AgentPhase.BOOTING);
      }
      if (!a.mayRun()) {
        throw new IllegalStateException(
            "agent " + a.id() + " is " + a.phase() + ": nothing to adopt");
      }
      Agent adopted = a.on(d.hostId());
      return () -> putAgent(adopted);
    }
    if (r instanceof HostLaunchRequested h) {
      ManagedHost m =
          new ManagedHost(
              null,
              h.launchKey(),
              h.pool(),
              h.market(),
              h.capacityMiB(),
              HostPhase.LAUNCHING,
              null,
              false);
      return () -> {
        launching.put(h.launchKey(), m);
        launchRequestedAt.put(h.launchKey(), h.at());
      };
    }
    if (r instanceof HostLaunched h) {
      ManagedHost m = launching.get(h.launchKey());
      if (m == null) {
        throw new IllegalStateException("no launch with key " + h.launchKey());
      }
      ManagedHost ready = m.launched(h.hostId());
      return () -> {
        launching.remove(h.launchKey());
        launchRequestedAt.remove(h.launchKey());
        hosts.put(h.hostId(), ready);
      };
    }
    if (r instanceof HostPhaseChanged c) {
      ManagedHost launch = launching.get(c.hostId());
      if (launch != null && c.phase() == HostPhase.GONE) {
        return () -> {
          launching.remove(c.hostId());
          launchRequestedAt.remove(c.hostId());
        };
      }
      ManagedHost m = host(c.hostId()).to(c.phase());
      return () -> hosts.put(c.hostId(), m);
    }
    if (r instanceof HostTerminationRequested t) {
      ManagedHost m = hosts.get(t.hostId());
      return () -> {
        terminationsRequested.add(t.hostId());
        if (m != null) {
          hosts.put(t.hostId(), m.terminating());
        }
      };
    }
    if (r instanceof NoticeRecorded n) {
      ManagedHost h = host(n.hostId());
      ManagedHost m =
          (h.phase() == HostPhase.DRAINING ? h : h.to(HostPhase.DRAINING)).noticed(n.deadline());
      return () -> hosts.put(n.hostId(), m);
    }
    if (r instanceof MoveStarted s) {
      Agent a = agent(s.agentId());
      if (!s.from().equals(a.hostId())) {
        throw new IllegalStateException(
            "agent " + a.id() + " is on " + a.hostId() + ", not " + s.from());
      }
      host(s.to());
      Move m =
          new Move(
              s.moveId(),
              s.agentId(),
              s.from(),
              s.to(),
              s.deadline(),
              s.forced(),
              a.phase(),
              a.memory());
      Optional<StandingCopy> copy = copyOf(s.agentId());
      boolean fileFlush =
          copy.filter(c -> c.fileStandby() && c.backup().equals(s.to())).isPresent();
      Agent migrating =
          fileFlush
              ? a.to(AgentPhase.MIGRATING).withMemory(MemoryBacking.SHARED_FILE)
              : a.to(AgentPhase.MIGRATING);
      return () -> {
        copy.ifPresent(
            c -> removeCopy(c.copyId())); // a move consumes the copy (its flush, or after)
        putAgent(migrating);
        moves.put(m.moveId(), m);
        reservedByHost.merge(m.to(), a.ramMiB(), Long::sum);
      };
    }
    if (r instanceof MoveFinished f) {
      Move m = moves.get(f.moveId());
      if (m == null) {
        throw new IllegalStateException("no move " + f.moveId() + " in flight");
      }
      if (!f.runningOn().equals(m.from()) && !f.runningOn().equals(m.to())) {
        throw new IllegalStateException(
            "move " + m.moveId() + " ended on " + f.runningOn() + ", neither end");
      }
      Agent moved = agent(m.agentId()).to(m.resumePhase()).on(f.runningOn());
      Agent a =
          f.runningOn().equals(m.from())
              ? moved.withMemory(m.sourceMemory()) // a failed flush never ran from the shared file
              : moved;
      return () -> {
        removeMove(m.moveId());
        putAgent(a);
      };
    }
    if (r instanceof JournalRecord.PoolClosed c) {
      return planClosure(c);
    }
    if (r instanceof JournalRecord.OperatorRequested o) {
      if (o.action() == JournalRecord.OperatorAction.MIGRATE_NOW) {
        agent(o.target());
      } else {
        host(o.target());
      }
      return () -> {};
    }
    if (r instanceof JournalRecord.CopyStarted c) {
      Agent a = agent(c.agentId());
      if (!c.from().equals(a.hostId()) || !a.mayRun()) {
        throw new IllegalStateException(
            "agent " + a.id() + " is " + a.phase() + " on " + a.hostId() + ", not on " + c.from());
      }
      host(c.backup());
      if (c.backup().equals(c.from())) {
        throw new IllegalStateException("copy " + c.copyId() + " on its own source " + c.from());
      }
      if (copyOf(a.id()).isPresent() || copies.containsKey(c.copyId())) {
        throw new IllegalStateException("agent " + a.id() + " already has a standing copy");
      }
      if (c.fileStandby() && !a.memory().inFile()) {
        throw new IllegalStateException(
            "copy "
                + c.copyId()
                + ": agent "
                + a.id()
                + "'s VM keeps its memory in RAM, so its standby cannot be a file");
      }
      StandingCopy copy =
          new StandingCopy(c.copyId(), a.id(), c.from(), c.backup(), c.at(), c.fileStandby());
      return () -> {
        copies.put(copy.copyId(), copy);
        if (!copy.fileStandby()) {
          reservedByHost.merge(copy.backup(), a.ramMiB(), Long::sum);
        }
      };
    }
    if (r instanceof JournalRecord.CopyDropped d) {
      copy(d.copyId());
      return () -> removeCopy(d.copyId());
    }
    if (r instanceof JournalRecord.CopyEnded e) {
      StandingCopy c = copy(e.copyId());
      if (!e.runningOn().equals(c.from()) && !e.runningOn().equals(c.backup())) {
        throw new IllegalStateException(
            "copy " + c.copyId() + " ended on " + e.runningOn() + ", neither end");
      }
      Agent ended = agent(c.agentId()).on(e.runningOn());
      Agent a =
          c.fileStandby() && e.runningOn().equals(c.backup())
              ? ended.withMemory(MemoryBacking.SHARED_FILE) // it runs from its standby's file
              : ended;
      return () -> {
        removeCopy(c.copyId());
        putAgent(a);
      };
    }
    throw new IllegalArgumentException("unknown record " + r);
  }

  /**
   * A pool closure; with a drain deadline, every live host of the pool without a notice drains
   * (unless it already does) and its agents are to leave by that deadline.
   */
  private Change planClosure(JournalRecord.PoolClosed c) {
    java.util.Objects.requireNonNull(c.pool(), "pool");
    java.util.Objects.requireNonNull(c.until(), "until");
    Map<String, ManagedHost> drained = new LinkedHashMap<>();
    if (c.drainBy() != null) {
      for (ManagedHost h : hosts.values()) {
        if (h.live()
            && h.pool().equals(c.pool())
            && h.market() == Market.SPOT
            && h.noticeDeadline() == null
            && !h.terminatedByUs()) {
          drained.put(h.id(), h.phase() == HostPhase.DRAINING ? h : h.to(HostPhase.DRAINING));
        }
      }
    }
    return () -> {
      closedUntil.merge(c.pool(), c.until(), (a, b) -> a.isAfter(b) ? a : b);
      if (c.drainBy() != null) {
        drainedUntil.merge(c.pool(), c.until(), (a, b) -> a.isAfter(b) ? a : b);
      }
      hosts.putAll(drained);
      drained.keySet().forEach(id -> drainBy.put(id, c.drainBy()));
    };
  }

  private StandingCopy copy(String copyId) {
    StandingCopy c = copies.get(copyId);
    if (c == null) {
      throw new IllegalStateException("no standing copy " + copyId);
    }
    return c;
  }

  private void removeCopy(String copyId) {
    StandingCopy c = copies.remove(copyId);
    if (c != null && !c.fileStandby()) {
      reservedByHost.merge(c.backup(), -agents.get(c.agentId()).ramMiB(), Long::sum);
    }
  }

  /** Standing copies in the order they were started. */
  public Collection<StandingCopy> copies() {
    return Collections.unmodifiableCollection(copies.values());
  }

  /** The agent's standing copy, if it keeps one. */
  public Optional<StandingCopy> copyOf(String agentId) {
    for (StandingCopy c : copies.values()) {
      if (c.agentId().equals(agentId)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private void removeMove(String moveId) {
    Move m = moves.remove(moveId);
    if (m != null) {
      Agent a = agents.get(m.agentId());
      reservedByHost.merge(m.to(), -a.ramMiB(), Long::sum);
    }
  }

  private void putAgent(Agent a) {
    Agent old = agents.put(a.id(), a);
    if (old != null && old.hostId() != null) {
      Set<String> on = agentsByHost.get(old.hostId());
      if (on != null) {
        on.remove(a.id());
      }
    }
    if (a.hostId() != null) {
      agentsByHost.computeIfAbsent(a.hostId(), h -> new LinkedHashSet<>()).add(a.id());
    }
  }

  private Agent agent(String id) {
    Agent a = agents.get(id);
    if (a == null) {
      throw new IllegalStateException("unknown agent " + id);
    }
    return a;
  }

  private ManagedHost host(String id) {
    ManagedHost h = hosts.get(id);
    if (h == null) {
      throw new IllegalStateException("unknown host " + id);
    }
    return h;
  }

  /** The lengths of the builds that finished, per template, from the journal. */
  public BuildHistory builds() {
    return builds;
  }

  public Optional<Agent> findAgent(String id) {
    return Optional.ofNullable(agents.get(id));
  }

  public Optional<ManagedHost> findHost(String id) {
    return Optional.ofNullable(hosts.get(id));
  }

  public Collection<Agent> agents() {
    return Collections.unmodifiableCollection(agents.values());
  }

  /** Hosts with a provider id (ready or later), in launch order. */
  public Collection<ManagedHost> hosts() {
    return Collections.unmodifiableCollection(hosts.values());
  }

  /** Hosts asked for and not yet seen running, by launch key. */
  public Collection<ManagedHost> launching() {
    return Collections.unmodifiableCollection(launching.values());
  }

  /** When the launch with {@code launchKey} was asked for. */
  public java.time.Instant launchRequestedAt(String launchKey) {
    return launchRequestedAt.get(launchKey);
  }

  public Collection<Move> moves() {
    return Collections.unmodifiableCollection(moves.values());
  }

  public Optional<Move> moveOf(String agentId) {
    for (Move m : moves.values()) {
      if (m.agentId().equals(agentId)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  public List<LostBuild> lostBuilds() {
    return List.copyOf(lost);
  }

  /** Whether we journaled the termination of {@code hostId} (known or orphan). */
  public boolean terminationRequested(String hostId) {
    return terminationsRequested.contains(hostId);
  }

  /** Ids of the agents that are placed on, run on or drain from {@code hostId}. */
  public Set<String> agentsOn(String hostId) {
    Set<String> on = agentsByHost.get(hostId);
    return on == null ? Set.of() : Collections.unmodifiableSet(on);
  }

  /**
   * Memory taken on {@code hostId}: its agents, the agents moving onto it and the standing copies
   * it holds in RAM, in full, plus what its file-backed standbys may come to need.
   *
   * <p>The rule for file-backed standbys (issue 12 item 6): such a standby keeps its memory in a
   * file on the host's disk ({@link #standbyFileMiB}), and needs the host's RAM only once it is
   * flushed and its VM runs there. A flush follows a notice (or a drain) of the copy's source host,
   * and a notice flushes all the copies of that one source at once. So the host keeps free, for its
   * file-backed standbys, the largest sum of the memory of one source's file-backed standbys on it
   * (the max over source hosts), not their total. Two sources flushing at once (a burst) cannot
   * both count on that room: a copy is flushed only while its source's standbys fit next to
   * everything else the host then holds ({@link #flushFits}), and a copy that no longer fits is
   * dropped and placed anew. A standby in RAM, and one of a VM whose memory is not known to be a
   * file, counts in full as before.
   */
  public long usedMiB(String hostId) {
    return baseMiB(hostId) + largestFileGroupMiB(hostId);
  }

  /**
   * What {@link #usedMiB} would be with one more standing copy of {@code ramMiB} from {@code
   * source}.
   */
  public long usedMiBWithCopy(String hostId, String source, long ramMiB, boolean fileStandby) {
    if (!fileStandby) {
      return usedMiB(hostId) + ramMiB;
    }
    return baseMiB(hostId)
        + Math.max(largestFileGroupMiB(hostId), fileGroupMiB(hostId, source) + ramMiB);
  }

  /**
   * Whether the flush of {@code c} fits on its backup now: always for a standby in RAM (its memory
   * is reserved in full); for a file-backed one, when the backup's memory counted in full (its
   * agents, moves onto it, standbys in RAM) plus that of every file-backed standby of the same
   * source fits its capacity; after another source's flush onto it, it may not.
   */
  public boolean flushFits(StandingCopy c) {
    if (!c.fileStandby()) {
      return true;
    }
    ManagedHost b = hosts.get(c.backup());
    return b != null && baseMiB(b.id()) + fileGroupMiB(b.id(), c.from()) <= b.capacityMiB();
  }

  /**
   * Disk taken in the standby store ({@code memory_backing_dir}) of {@code hostId}: the memory of
   * its file-backed standbys and of the VMs that run (or move onto it) from a shared file, flushed
   * from such a standby ({@link MemoryBacking#SHARED_FILE}); a VM booted in a private file keeps it
   * sparse and counts nothing.
   */
  public long standbyFileMiB(String hostId) {
    long used = 0;
    for (long group : fileGroups(hostId).values()) {
      used += group;
    }
    for (String id : agentsOn(hostId)) {
      Agent a = agents.get(id);
      if (a.memory() == MemoryBacking.SHARED_FILE) {
        used += a.ramMiB();
      }
    }
    for (Move m : moves.values()) {
      Agent a = agents.get(m.agentId());
      if (m.to().equals(hostId) && a.memory() == MemoryBacking.SHARED_FILE) {
        used += a.ramMiB();
      }
    }
    return used;
  }

  /** Memory counted in full on the host: its agents, moves onto it, standbys in RAM. */
  private long baseMiB(String hostId) {
    long used = reservedByHost.getOrDefault(hostId, 0L);
    for (String id : agentsOn(hostId)) {
      used += agents.get(id).ramMiB();
    }
    return used;
  }

  /** The memory of the file-backed standbys on {@code hostId}, by their source host. */
  private Map<String, Long> fileGroups(String hostId) {
    Map<String, Long> bySource = new HashMap<>();
    for (StandingCopy c : copies.values()) {
      if (c.fileStandby() && c.backup().equals(hostId)) {
        bySource.merge(c.from(), agents.get(c.agentId()).ramMiB(), Long::sum);
      }
    }
    return bySource;
  }

  /** The memory of the file-backed standbys on {@code hostId} of agents from {@code source}. */
  private long fileGroupMiB(String hostId, String source) {
    return fileGroups(hostId).getOrDefault(source, 0L);
  }

  /** The largest {@link #fileGroupMiB} over the sources with file-backed standbys on the host. */
  private long largestFileGroupMiB(String hostId) {
    long max = 0;
    for (long v : fileGroups(hostId).values()) {
      max = Math.max(max, v);
    }
    return max;
  }

  /** Whether the spot pool takes our launches at {@code now} (closures that ended are ignored). */
  public boolean poolOpen(PoolKey pool, java.time.Instant now) {
    java.time.Instant until = closedUntil.get(pool);
    return until == null || !now.isBefore(until);
  }

  /** Until when the pool is closed to our launches, if a closure was ever journaled for it. */
  public Optional<java.time.Instant> closedUntil(PoolKey pool) {
    return Optional.ofNullable(closedUntil.get(pool));
  }

  /** Whether a burst drain of the pool is under way at {@code now} (before its quiet end). */
  public boolean poolDraining(PoolKey pool, java.time.Instant now) {
    java.time.Instant until = drainedUntil.get(pool);
    return until != null && now.isBefore(until);
  }

  /**
   * The deadline by which the agents of {@code hostId} are to leave it because its pool is being
   * drained (a burst), if it is; a host under notice keeps its notice's deadline instead.
   */
  public Optional<java.time.Instant> drainDeadline(String hostId) {
    ManagedHost h = hosts.get(hostId);
    if (h == null || !h.live() || h.phase() != HostPhase.DRAINING) {
      return Optional.empty();
    }
    return Optional.ofNullable(drainBy.get(hostId));
  }

  /** Agents that are not gone. */
  public long liveAgents() {
    return agents.values().stream().filter(a -> a.phase() != AgentPhase.GONE).count();
  }

  /** Hosts that are launching or live. */
  public long liveHosts() {
    return launching.size() + hosts.values().stream().filter(ManagedHost::live).count();
  }
}
