package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.placement.MigrationSlots;
import io.spotnest.orchestrator.port.Assessment;
import io.spotnest.orchestrator.port.HostFleet;
import io.spotnest.orchestrator.port.LiveHostView;
import io.spotnest.orchestrator.port.MarketFeed;
import io.spotnest.orchestrator.port.RiskStrategy;
import io.spotnest.orchestrator.signal.SignalBook;
import io.spotnest.strategy.fleet.CopyMode;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One pass of the control loop: cloud listing, host events, market data, move outcomes; then the
 * strategy's assessment; then its burst drains (journaled first); then forced evacuations (notices
 * and drained pools, earliest deadline first), voluntary moves only when nothing forced waits and
 * the state is synced; then the standing copies the plan asks for, for agents that asked (started
 * only when synced, in the migration slots the moves left); then placement, launches (on-demand for
 * evacuations and backups no ready host has room for) and retirements. A failing input (listing,
 * events, strategy) stops voluntary work for the tick, never the forced lane.
 */
public final class ControlLoop {
  private static final System.Logger LOG = System.getLogger(ControlLoop.class.getName());
  private final Clock clock;
  private final FleetState state;
  private final HostFleet fleet;
  private final MarketFeed market;
  private final RiskStrategy strategy;
  private final FleetConfig config;
  private final SignalBook signals;
  private final EventTriage triage;
  private final HostKeeper hosts;
  private final MoveTracker tracker;
  private final MoveStarter starter;
  private final AgentPlacer placer;
  private final StandingCopies copies;
  private final SyncGate gate;
  private final PoolDrains drains;
  private final Residence residence = new Residence();
  private Map<PoolKey, Double> risk = Map.of();

  public ControlLoop(
      Clock clock,
      FleetState state,
      HostFleet fleet,
      MarketFeed market,
      RiskStrategy strategy,
      FleetConfig config,
      SignalBook signals,
      EventTriage triage,
      HostKeeper hosts,
      MoveTracker tracker,
      MoveStarter starter,
      AgentPlacer placer,
      StandingCopies copies,
      SyncGate gate,
      PoolDrains drains) {
    this.copies = copies;
    this.clock = clock;
    this.state = state;
    this.fleet = fleet;
    this.market = market;
    this.strategy = strategy;
    this.config = config;
    this.signals = signals;
    this.triage = triage;
    this.hosts = hosts;
    this.tracker = tracker;
    this.starter = starter;
    this.placer = placer;
    this.gate = gate;
    this.drains = drains;
  }

  public TickReport tick() {
    Instant now = clock.instant();
    boolean inputsOk = hosts.observe(now).agreed();
    List<String> ignored = List.of();
    try {
      ignored = triage.handle(fleet.poll());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot poll host events", e);
      inputsOk = false;
    }
    try {
      market.quotes().forEach(signals::quote);
      market.reclamations().forEach(r -> signals.reclaimed(r.pool(), "market:" + r.id(), r.at()));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot read market data; deciding on the last quotes", e);
    }
    int ended = tracker.poll();
    List<LiveHostView> live =
        StrategyInputs.liveHosts(state, now, config.launchTimeout(), residence);
    Assessment a;
    boolean planned = false;
    try {
      a =
          strategy.decide(
              now,
              signals.signals(StrategyInputs.spotPools(state, config.offers()), now),
              live,
              config.copyMode());
      risk = a.poolRisk();
      planned = true;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "strategy failed; only notices are acted on this tick", e);
      a = Assessment.none();
      inputsOk = false;
    }
    drains.act(a.drains(), now); // journaled before any move, so a restart keeps draining
    Evacuations.Lanes lanes = Evacuations.plan(state, a);
    MigrationSlots slots = MigrationSlots.of(state.moves(), state.copies(), config.limits());
    MoveStarter.Result forced = starter.start(lanes.forced(), true, slots, risk, now);
    boolean synced = gate.allowsVoluntary(inputsOk);
    MoveStarter.Result voluntary =
        synced && forced.waiting().isEmpty()
            ? starter.start(lanes.voluntary(), false, slots, risk, now)
            : new MoveStarter.Result(List.of(), lanes.voluntary(), List.of(), List.of());
    Optional<Set<String>> wanted =
        config.copyMode() == CopyMode.OFF
            ? Optional.of(Set.of())
            : planned ? Optional.of(new LinkedHashSet<>(a.standingCopies())) : Optional.empty();
    StandingCopies.Result kept = copies.keep(wanted, synced, slots, risk, now, config.copyMode());
    Demand unplaced = placer.placeAll(risk, now);
    int launched =
        hosts.launchFor(
                forced.homelessMiB(state) + voluntary.homelessMiB(state) + kept.backupMiB(),
                unplaced,
                risk,
                a.spares().size())
            + (synced ? hosts.launchSpot(a.spotLaunches()) : 0);
    int retired = hosts.retireEmpty() + (synced ? hosts.release(a.releases()) : 0);
    Set<String> evacuating = new HashSet<>();
    lanes.voluntary().forEach(e -> evacuating.add(e.hostId()));
    state.moves().forEach(m -> evacuating.add(m.from()));
    hosts.calm(risk, evacuating, now);
    return new TickReport(
        now,
        synced,
        forced.started(),
        forced.waiting().size(),
        voluntary.started(),
        ended,
        launched,
        retired,
        ignored,
        forced.late(),
        kept.crossZone());
  }

  /** The pool risks of the last assessment. */
  public Map<PoolKey, Double> risk() {
    return risk;
  }
}
