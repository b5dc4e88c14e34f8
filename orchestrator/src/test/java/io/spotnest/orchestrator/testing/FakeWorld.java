package io.spotnest.orchestrator.testing;

import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.AgentMover;
import io.spotnest.orchestrator.port.AgentVms;
import io.spotnest.orchestrator.port.BootSecret;
import io.spotnest.orchestrator.port.CopyOrder;
import io.spotnest.orchestrator.port.CopyStatus;
import io.spotnest.orchestrator.port.FailedLaunch;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.HostFleet;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.port.LaunchFailureCause;
import io.spotnest.orchestrator.port.MarketFeed;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.port.MoveStatus;
import io.spotnest.orchestrator.port.ObservedHost;
import io.spotnest.orchestrator.port.PoolReclamation;
import io.spotnest.strategy.policy.MigrationTimeEstimator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An in-memory cloud + hypervisors + migration engine behind the orchestrator's ports. It checks
 * that every action was announced in the journal first ({@link #violations()}), and it can be
 * copied to replay a crash.
 */
public final class FakeWorld implements HostFleet, AgentMover, AgentVms, MarketFeed {
  private final Map<String, ObservedHost> hosts = new LinkedHashMap<>();
  private final Map<String, ObservedHost> byKey = new LinkedHashMap<>();
  private final Map<String, List<String>> copies = new LinkedHashMap<>();
  private final Map<String, MoveOrder> moves = new LinkedHashMap<>();
  private final Map<String, MoveStatus.Ended> ended = new LinkedHashMap<>();
  private final List<String> forgotten = new ArrayList<>();
  private final List<FleetEvent> events = new ArrayList<>();
  private final List<MarketQuote> quotes = new ArrayList<>();
  private final List<PoolReclamation> marketReclamations = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final List<String> terminated = new ArrayList<>();
  private final List<String> acknowledged = new ArrayList<>();
  private int nextHost;
  private int nextEvent;
  private boolean listFails;
  private boolean quotesFail;
  private boolean launchRuns = true;
  private final Map<PoolKey, LaunchFailureCause> noCapacity = new LinkedHashMap<>();
  private final Map<String, FailedLaunch> failedLaunches = new LinkedHashMap<>();
  private final List<PoolKey> launchAttempts = new ArrayList<>();
  private Supplier<List<JournalRecord>> journal = List::of;
  private Instant now = States.T0;
  private final Map<String, Long> ramByAgent = new LinkedHashMap<>();
  private final Map<String, PacedMove> paced = new LinkedHashMap<>();
  private MigrationTimeEstimator pace;
  private final Map<String, String> standbys = new LinkedHashMap<>();
  private final java.util.Set<String> settling = new java.util.HashSet<>();
  private final java.util.Set<String> refusingRemovals = new java.util.HashSet<>();
  private final java.util.Set<String> bootTimeouts = new java.util.HashSet<>();

  /** How the hypervisors' inventory was read: "locate a", "locateAll n", "clearStandbys n". */
  public final List<String> inventoryReads = new ArrayList<>();

  private final Map<String, CopyOrder> streams = new LinkedHashMap<>();
  private final java.util.Set<String> converged = new java.util.HashSet<>();
  private final List<String> cleared = new ArrayList<>();
  private boolean flushFails;
  private final java.util.Set<String> refusedCopies = new java.util.HashSet<>();

  /** Copies started, by agent (every {@link #startCopy} call that took). */
  public final List<String> copiesStarted = new ArrayList<>();

  /**
   * A move started at {@code start} that switches over after {@code takes} (with {@code sharing}
   * moves on the busier of its hosts' links when it started).
   */
  public record PacedMove(MoveOrder order, Instant start, Duration takes, int sharing) {}

  /** Actions are checked against this journal. */
  public FakeWorld journal(Supplier<List<JournalRecord>> journal) {
    this.journal = journal;
    return this;
  }

  public void now(Instant t) {
    now = t;
  }

  public FakeWorld copy() {
    FakeWorld w = new FakeWorld();
    w.hosts.putAll(hosts);
    w.byKey.putAll(byKey);
    copies.forEach((a, l) -> w.copies.put(a, new ArrayList<>(l)));
    w.moves.putAll(moves);
    w.ended.putAll(ended);
    w.settling.addAll(settling);
    w.refusingRemovals.addAll(refusingRemovals);
    w.bootTimeouts.addAll(bootTimeouts);
    w.events.addAll(events);
    w.quotes.addAll(quotes);
    w.terminated.addAll(terminated);
    w.nextHost = nextHost;
    w.nextEvent = nextEvent;
    w.launchRuns = launchRuns;
    w.noCapacity.putAll(noCapacity);
    w.failedLaunches.putAll(failedLaunches);
    w.launchAttempts.addAll(launchAttempts);
    w.now = now;
    w.ramByAgent.putAll(ramByAgent);
    w.paced.putAll(paced);
    w.pace = pace;
    w.standbys.putAll(standbys); // paused incoming copies outlive the controller, its streams not
    return w;
  }

  /**
   * Moves take time: each switches over to its destination {@code estimator.estimate(ram, sharing)}
   * after it started (sharing: moves in flight on the busier of its two hosts, itself included), as
   * seen by {@link #status} once {@link #now} has reached that instant.
   */
  public FakeWorld pace(MigrationTimeEstimator estimator) {
    this.pace = estimator;
    return this;
  }

  /** The paced moves, in the order they started. */
  public List<PacedMove> pacedMoves() {
    return List.copyOf(paced.values());
  }

  // ---- HostFleet

  @Override
  public void launch(String launchKey, HostOrder order) {
    require(
        r -> r instanceof JournalRecord.HostLaunchRequested q && q.launchKey().equals(launchKey),
        "launch " + launchKey);
    if (byKey.containsKey(launchKey) || failedLaunches.containsKey(launchKey)) {
      return;
    }
    launchAttempts.add(order.pool());
    LaunchFailureCause cause = noCapacity.get(order.pool());
    if (cause != null && order.market() == Market.SPOT) {
      failedLaunches.put(
          launchKey,
          new FailedLaunch(launchKey, ERROR_CODES.get(cause) + " in " + order.pool(), cause));
      return;
    }
    ObservedHost h =
        new ObservedHost(
            "i-" + ++nextHost,
            launchKey,
            order.pool(),
            order.market(),
            order.capacityMiB(),
            launchRuns);
    hosts.put(h.id(), h);
    byKey.put(launchKey, h);
  }

  /** Spot launches in {@code pool} fail from now on (no capacity). */
  public void noSpotCapacityIn(PoolKey pool) {
    spotLaunchesFailIn(pool, LaunchFailureCause.NO_CAPACITY);
  }

  /** Spot launches in {@code pool} fail from now on, for {@code cause}. */
  public void spotLaunchesFailIn(PoolKey pool, LaunchFailureCause cause) {
    noCapacity.put(pool, cause);
  }

  /** What EC2 answers for each cause, for the failures' reasons. */
  private static final Map<LaunchFailureCause, String> ERROR_CODES =
      Map.of(
          LaunchFailureCause.NO_CAPACITY, "InsufficientInstanceCapacity",
          LaunchFailureCause.UNSUPPORTED, "Unsupported",
          LaunchFailureCause.QUOTA, "MaxSpotInstanceCountExceeded",
          LaunchFailureCause.OTHER, "InvalidAMIID.NotFound");

  /** The pool of every launch asked for, in order. */
  public List<PoolKey> launchAttempts() {
    return launchAttempts;
  }

  @Override
  public List<FailedLaunch> failedLaunches() {
    return List.copyOf(failedLaunches.values());
  }

  @Override
  public List<ObservedHost> list() {
    if (listFails) {
      throw new IllegalStateException("cloud API unavailable");
    }
    return List.copyOf(hosts.values());
  }

  @Override
  public void terminate(String hostId) {
    require(
        r -> r instanceof JournalRecord.HostTerminationRequested t && t.hostId().equals(hostId),
        "terminate " + hostId);
    if (hosts.containsKey(hostId)) {
      vanish(hostId);
      terminated.add(hostId);
      events.add(new FleetEvent.Gone("ev-" + ++nextEvent, hostId, "sqs", now, "terminated"));
    }
  }

  @Override
  public List<FleetEvent> poll() {
    return List.copyOf(events);
  }

  @Override
  public void acknowledge(FleetEvent event) {
    events.remove(event);
    acknowledged.add(event.eventId());
  }

  // ---- AgentMover

  @Override
  public void start(MoveOrder order) {
    require(
        r -> r instanceof JournalRecord.MoveStarted s && s.moveId().equals(order.moveId()),
        "start move " + order.moveId());
    if (!runsOn(order.agentId()).equals(Optional.of(order.from()))) {
      throw new IllegalStateException(order.agentId() + " does not run on " + order.from());
    }
    moves.put(order.moveId(), order);
    if (pace != null) {
      int sharing = Math.max(sharing(order.from()), sharing(order.to()));
      Duration takes = estimate(order.from(), order.to(), ramByAgent.get(order.agentId()), sharing);
      paced.put(order.moveId(), new PacedMove(order, now, takes, sharing));
    }
  }

  private int sharing(String hostId) {
    return (int)
        movesInFlight().stream()
            .filter(m -> m.from().equals(hostId) || m.to().equals(hostId))
            .count();
  }

  @Override
  public MoveStatus status(String moveId) {
    MoveStatus.Ended e = ended.get(moveId);
    if (e != null) {
      return e;
    }
    MoveOrder m = moves.get(moveId);
    if (m == null) {
      return new MoveStatus.Ended(Optional.empty(), "unknown move");
    }
    if (settling.contains(moveId)) {
      return new MoveStatus.InFlight();
    }
    if (!hosts.containsKey(m.from())) {
      return end(m, Optional.empty(), "source " + m.from() + " lost");
    }
    if (!hosts.containsKey(m.to())) {
      return end(
          m, Optional.of(m.from()), "destination " + m.to() + " lost; aborted, VM on the source");
    }
    PacedMove p = paced.get(moveId);
    if (p != null && !p.start().plus(p.takes()).isAfter(now)) {
      switchOver(m, p.takes(), Duration.ofMillis(300));
      return ended.get(moveId);
    }
    return new MoveStatus.InFlight();
  }

  /** The paced time of a move (what a paced move then takes); zero when moves are not paced. */
  @Override
  public Duration estimate(String from, String to, long ramMiB, int sharing) {
    return pace == null ? Duration.ZERO : pace.estimate(ramMiB / 1024.0, sharing);
  }

  /**
   * Drops an ended move, as the engine's mover does: its status is then an unknown move's, which
   * the orchestrator would read as the VM running nowhere.
   */
  @Override
  public void forget(String moveId) {
    if (ended.containsKey(moveId)) {
      ended.remove(moveId);
      moves.remove(moveId);
      forgotten.add(moveId);
    }
  }

  /** The moves the orchestrator told the mover to forget, in order. */
  public List<String> forgotten() {
    return List.copyOf(forgotten);
  }

  @Override
  public MoveStatus attach(MoveOrder order) {
    if (moves.containsKey(order.moveId())) {
      return status(order.moveId());
    }
    return new MoveStatus.Ended(
        runsOn(order.agentId()), "no such migration job: resolved from the hypervisors");
  }

  @Override
  public Optional<String> locate(String agentId) {
    inventoryReads.add("locate " + agentId);
    return runsOn(agentId);
  }

  @Override
  public Map<String, Optional<String>> locateAll(java.util.Collection<String> agentIds) {
    inventoryReads.add("locateAll " + agentIds.size());
    Map<String, Optional<String>> where = new LinkedHashMap<>();
    agentIds.forEach(a -> where.put(a, runsOn(a)));
    return where;
  }

  @Override
  public void clearStandbys(Map<String, Optional<String>> runningOn) {
    inventoryReads.add("clearStandbys " + runningOn.size());
    runningOn.forEach((a, on) -> clearStandbys(a, on.orElse(null)));
  }

  @Override
  public void startCopy(CopyOrder order) {
    require(
        r -> r instanceof JournalRecord.CopyStarted c && c.copyId().equals(order.copyId()),
        "start copy " + order.copyId());
    if (!runsOn(order.agentId()).equals(Optional.of(order.from()))) {
      throw new IllegalStateException(order.agentId() + " does not run on " + order.from());
    }
    if (!hosts.containsKey(order.backup())) {
      throw new IllegalStateException("no host " + order.backup());
    }
    if (standbys.containsKey(order.agentId())) {
      violations.add("second standing copy of " + order.agentId());
    }
    streams.put(order.copyId(), order);
    standbys.put(order.agentId(), order.backup());
    copiesStarted.add(order.agentId());
  }

  @Override
  public CopyStatus copyStatus(CopyOrder order) {
    CopyOrder o = streams.get(order.copyId());
    if (o == null) {
      return new CopyStatus.Ended(runsOn(order.agentId()), "unknown standing copy");
    }
    if (!hosts.containsKey(o.from())) {
      return endCopy(o, Optional.empty(), "source " + o.from() + " lost");
    }
    if (!hosts.containsKey(o.backup())) {
      return endCopy(o, Optional.of(o.from()), "backup " + o.backup() + " lost");
    }
    if (refusedCopies.contains(o.agentId())) {
      return endCopy(o, Optional.of(o.from()), "refused: the engine refused the copy (fake)");
    }
    if (converged.remove(o.copyId())) {
      List<String> on = copies.get(o.agentId());
      on.remove(o.from());
      on.add(o.backup());
      return endCopy(o, Optional.of(o.backup()), "converged by itself");
    }
    return new CopyStatus.Standing();
  }

  private CopyStatus.Ended endCopy(CopyOrder o, Optional<String> on, String detail) {
    streams.remove(o.copyId());
    standbys.remove(o.agentId());
    return new CopyStatus.Ended(on, detail);
  }

  @Override
  public void stopCopy(CopyOrder order) {
    require(
        r -> r instanceof JournalRecord.CopyDropped d && d.copyId().equals(order.copyId()),
        "stop copy " + order.copyId());
    streams.remove(order.copyId());
    if (order.backup().equals(standbys.get(order.agentId()))) {
      standbys.remove(order.agentId());
    }
  }

  @Override
  public void flushCopy(CopyOrder copy, MoveOrder move) {
    require(
        r -> r instanceof JournalRecord.MoveStarted s && s.moveId().equals(move.moveId()),
        "flush copy " + copy.copyId());
    if (streams.remove(copy.copyId()) == null) {
      throw new IllegalStateException("no standing copy " + copy.copyId());
    }
    standbys.remove(copy.agentId());
    moves.put(move.moveId(), move);
    if (flushFails) {
      end(move, Optional.of(move.from()), "flush failed: deadline passed, VM on the source");
    } else {
      switchOver(move, Duration.ofMillis(3500), Duration.ofMillis(1900));
    }
  }

  @Override
  public void clearStandbys(String agentId, String runningOn) {
    String on = standbys.get(agentId);
    if (on != null && !on.equals(runningOn)) { // null: the agent is gone
      standbys.remove(agentId);
      cleared.add(agentId + "@" + on);
    }
  }

  /** Paused incoming standing copies: agent to the backup host holding one. */
  public Map<String, String> standbys() {
    return Map.copyOf(standbys);
  }

  /** Standing-copy streams the mover runs now. */
  public List<CopyOrder> streams() {
    return List.copyOf(streams.values());
  }

  /** Stray standby copies removed at a restart, as agent@host. */
  public List<String> cleared() {
    return List.copyOf(cleared);
  }

  /** Flushes fail from now on (the VM stays on its source). */
  public void flushFails(boolean fails) {
    flushFails = fails;
  }

  /**
   * The engine refuses every standing copy of the agent as it does a file standby of a VM in
   * anonymous RAM: the copy's outcome, read at its next status, is a failure with the VM still on
   * its source.
   */
  public void refuseCopiesOf(String agentId) {
    refusedCopies.add(agentId);
  }

  /** The engine no longer refuses the agent's standing copies. */
  public void acceptCopiesOf(String agentId) {
    refusedCopies.remove(agentId);
  }

  /** The agent's standing copy converges by itself: the VM runs on its backup. */
  public void converge(String agentId) {
    streams.values().stream()
        .filter(o -> o.agentId().equals(agentId))
        .forEach(o -> converged.add(o.copyId()));
  }

  // ---- AgentVms

  /** A boot as the orchestrator asked for it. */
  public record Boot(String agentId, String hostId, AgentBootSpec spec, BootSecret secret) {}

  private final List<Boot> boots = new ArrayList<>();

  /** Every boot asked for, in order. */
  public List<Boot> boots() {
    return List.copyOf(boots);
  }

  /** Where the VMs it boots keep their memory ({@link AgentVms#memory}). */
  public io.spotnest.orchestrator.model.MemoryBacking memory =
      io.spotnest.orchestrator.model.MemoryBacking.RAM;

  @Override
  public io.spotnest.orchestrator.model.MemoryBacking memory() {
    return memory;
  }

  /** Boots a VM as a seed would (name and memory only, no secret). */
  public void boot(String agentId, String hostId, long ramMiB) {
    boot(agentId, hostId, AgentBootSpec.minimal(agentId, ramMiB), null);
  }

  @Override
  public void boot(String agentId, String hostId, AgentBootSpec spec, BootSecret secret) {
    boots.add(new Boot(agentId, hostId, spec, secret));
    require(
        r ->
            (r instanceof JournalRecord.AgentPhaseChanged c
                && c.agentId().equals(agentId)
                && c.phase() == AgentPhase.BOOTING),
        "boot " + agentId);
    if (!hosts.containsKey(hostId)) {
      throw new IllegalStateException("no host " + hostId);
    }
    ramByAgent.put(agentId, spec.ramMiB());
    List<String> on = copies.computeIfAbsent(agentId, a -> new ArrayList<>());
    if (!on.contains(hostId)) {
      on.add(hostId);
    }
    if (bootTimeouts.contains(hostId)) {
      throw new IllegalStateException("boot of " + agentId + " on " + hostId + " timed out");
    }
  }

  @Override
  public void destroy(String agentId, String hostId) {
    require(
        r ->
            (r instanceof JournalRecord.AgentPhaseChanged c
                    && c.agentId().equals(agentId)
                    && c.phase() == AgentPhase.GONE)
                || (r instanceof JournalRecord.AgentLost l && l.agentId().equals(agentId)),
        "destroy " + agentId);
    if (refusingRemovals.contains(hostId)) {
      throw new IllegalStateException("host " + hostId + " does not answer");
    }
    List<String> on = copies.get(agentId);
    if (on != null) {
      on.remove(hostId);
    }
  }

  // ---- MarketFeed

  @Override
  public List<MarketQuote> quotes() {
    if (quotesFail) {
      throw new IllegalStateException("price API unavailable");
    }
    return List.copyOf(quotes);
  }

  @Override
  public List<PoolReclamation> reclamations() {
    return List.copyOf(marketReclamations);
  }

  // ---- test controls

  public void marketReclamation(PoolReclamation r) {
    marketReclamations.add(r);
  }

  public void quote(MarketQuote q) {
    quotes.add(q);
  }

  public void quotesFail(boolean fails) {
    quotesFail = fails;
  }

  public void listFails(boolean fails) {
    listFails = fails;
  }

  /** Removing a VM from {@code hostId} fails (the host does not answer) while {@code fails}. */
  public void removalsFailOn(String hostId, boolean fails) {
    if (fails) {
      refusingRemovals.add(hostId);
    } else {
      refusingRemovals.remove(hostId);
    }
  }

  /**
   * A boot on {@code hostId} starts the VM but then fails (the call timed out) while {@code fails}.
   */
  public void bootsTimeOutOn(String hostId, boolean fails) {
    if (fails) {
      bootTimeouts.add(hostId);
    } else {
      bootTimeouts.remove(hostId);
    }
  }

  /** Whether newly launched hosts run at once (true) or stay pending until {@link #run}. */
  public void launchRuns(boolean runs) {
    launchRuns = runs;
  }

  public void run(String hostId) {
    ObservedHost h = hosts.get(hostId);
    ObservedHost r = h.asRunning();
    hosts.put(hostId, r);
    byKey.put(h.launchKey(), r);
  }

  /**
   * Hypervisors (and the mover) answer on {@code hostId}, a host a real adapter launched while this
   * world serves the other ports.
   */
  public void hypervisorOn(String hostId, PoolKey pool, Market market, long capacityMiB) {
    hosts.put(
        hostId, new ObservedHost(hostId, "elsewhere-" + hostId, pool, market, capacityMiB, true));
  }

  /**
   * A host of ours that the journal never heard of (e.g. launched just before a crash, from an
   * older journal).
   */
  public String orphan(PoolKey pool) {
    ObservedHost h =
        new ObservedHost("i-" + ++nextHost, "lost-key-" + nextHost, pool, Market.SPOT, 8192, true);
    hosts.put(h.id(), h);
    byKey.put(h.launchKey(), h);
    return h.id();
  }

  public void event(FleetEvent e) {
    events.add(e);
  }

  public String nextEventId() {
    return "ev-" + ++nextEvent;
  }

  /** The provider reclaims the host: it vanishes with its VMs; a Gone event follows. */
  public void reclaim(String hostId) {
    vanish(hostId);
    events.add(new FleetEvent.Gone("ev-" + ++nextEvent, hostId, "sqs", now, "spot reclamation"));
  }

  /** The host vanishes silently (no event). */
  public void vanish(String hostId) {
    hosts.remove(hostId);
    standbys.values().removeIf(hostId::equals);
    copies.values().forEach(l -> l.remove(hostId));
  }

  /**
   * The move switches over: its VM runs on the destination from now on, but the mover still settles
   * it (the engine probing a source that no longer answers, say) and reports it in flight, whatever
   * becomes of the source, until {@link #completeMoves}.
   */
  public void switchOverSettling(String moveId) {
    MoveOrder m = moves.get(moveId);
    List<String> on = copies.get(m.agentId());
    on.remove(m.from());
    on.add(m.to());
    settling.add(moveId);
  }

  /** Every move in flight switches over to its destination. */
  public void completeMoves() {
    completeMoves(null, null);
  }

  /**
   * Every move in flight switches over to its destination; the mover reports {@code took} and
   * {@code paused}.
   */
  public void completeMoves(Duration took, Duration paused) {
    for (MoveOrder m : List.copyOf(moves.values())) {
      if (!ended.containsKey(m.moveId()) && status(m.moveId()) instanceof MoveStatus.InFlight) {
        switchOver(m, took, paused);
      }
    }
  }

  private void switchOver(MoveOrder m, Duration took, Duration paused) {
    settling.remove(m.moveId());
    List<String> on = copies.get(m.agentId());
    on.remove(m.from());
    if (!on.contains(m.to())) {
      on.add(m.to());
    }
    ended.put(m.moveId(), new MoveStatus.Ended(Optional.of(m.to()), "migrated", took, paused));
  }

  public List<MoveOrder> movesInFlight() {
    return moves.values().stream().filter(m -> !ended.containsKey(m.moveId())).toList();
  }

  public Map<String, ObservedHost> hosts() {
    return Map.copyOf(hosts);
  }

  /** Hosts each agent's VM runs on (more than one is a duplicate). */
  public Map<String, List<String>> copies() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    copies.forEach(
        (a, l) -> {
          if (!l.isEmpty()) {
            out.put(a, List.copyOf(l));
          }
        });
    return out;
  }

  public List<String> violations() {
    return violations;
  }

  public List<String> terminated() {
    return terminated;
  }

  public List<String> acknowledged() {
    return acknowledged;
  }

  public List<FleetEvent> pendingEvents() {
    return List.copyOf(events);
  }

  private MoveStatus.Ended end(MoveOrder m, Optional<String> on, String detail) {
    MoveStatus.Ended e = new MoveStatus.Ended(on, detail);
    ended.put(m.moveId(), e);
    return e;
  }

  private Optional<String> runsOn(String agentId) {
    List<String> on = copies.getOrDefault(agentId, List.of());
    return on.isEmpty() ? Optional.empty() : Optional.of(on.get(0));
  }

  private void require(java.util.function.Predicate<JournalRecord> announced, String action) {
    if (journal.get().stream().noneMatch(announced)) {
      violations.add(action + " without a journal record announcing it");
    }
  }
}
