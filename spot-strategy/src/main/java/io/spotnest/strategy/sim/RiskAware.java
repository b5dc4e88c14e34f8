package io.spotnest.strategy.sim;

import io.spotnest.strategy.fleet.AgentView;
import io.spotnest.strategy.fleet.CopyDecision;
import io.spotnest.strategy.fleet.CopyMode;
import io.spotnest.strategy.fleet.FleetDecision;
import io.spotnest.strategy.fleet.HostView;
import io.spotnest.strategy.fleet.MoveBackPlan;
import io.spotnest.strategy.fleet.NoticeResponse;
import io.spotnest.strategy.fleet.Placement;
import io.spotnest.strategy.fleet.PoolOffer;
import io.spotnest.strategy.fleet.RiskEvacuation;
import io.spotnest.strategy.fleet.StandingCopyPlan;
import io.spotnest.strategy.fleet.WarmSparePlan;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.policy.MigrationTimeEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.ExponentialHazard;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import io.spotnest.strategy.signal.PoolId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Our strategy: the risk model sees each pool's trace causally (plus the 2-minute notice) and the
 * migration policy decides per agent every decision tick: leave early when the expected loss beats
 * the on-demand premium, move back to spot when a pool has been safe for a while, consolidate
 * half-empty on-demand hosts, and on a notice evacuate the host smallest agent first to ready
 * capacity. With {@link OursOptions} it also keeps hazard-sized warm spares ({@link WarmSpares})
 * and drains a pool's other hosts on the first notice of a burst. It learns that a pool has no
 * capacity only from a failed launch there, and moves agents only within their region. With
 * standing copies on (issue 12 Part C) the public {@link StandingCopyPlan} decides every decision
 * tick which agents on spot keep one; those are not evacuated early (a notice flushes them).
 */
final class RiskAware implements Strategy {
  private static final long SAFE_DWELL_SECONDS = 15 * 60;
  private static final long MIN_ON_DEMAND_SECONDS = 10 * 60;

  private final HazardRiskModel model;
  private final MigrationPolicy policy;
  private final Map<SpotPool, ExponentialHazard> hazards = new HashMap<>();
  private final Map<SpotPool, Long> unsafeSince = new HashMap<>();
  private final long decisionSeconds;

  /** Per pool in a burst drain, the second until which it takes no new agent (its quiet end). */
  private final Map<SpotPool, Long> burstQuietUntil = new HashMap<>();

  private final Consolidator consolidator = new Consolidator();
  private final OursOptions options;
  private final WarmSpares spares;
  private final long burstWindowSeconds;

  RiskAware(
      HazardParameters model,
      PolicyParameters policy,
      MigrationTimeEstimator estimator,
      SimConfig c,
      OursOptions options) {
    this.model = new HazardRiskModel(model);
    this.policy = new MigrationPolicy(policy, estimator);
    this.decisionSeconds = Math.max(1, policy.decisionInterval().toSeconds());
    this.options = options;
    this.burstWindowSeconds = c.noticeSeconds() + c.burstSpreadSeconds();
    // a notified host has the notice; with burst drain the later hosts of a burst have on average
    // half the spread more
    this.spares =
        new WarmSpares(
            policy,
            estimator,
            c,
            c.noticeSeconds()
                - c.tickSeconds()
                + (options.burstDrain() ? c.burstSpreadSeconds() / 2 : 0));
  }

  @Override
  public String name() {
    return ComparisonTable.OURS;
  }

  @Override
  public SpotPool choosePool(BuildRequest build, SimContext ctx) {
    refresh(ctx, false);
    List<PoolOffer> offers = new ArrayList<>();
    for (SpotPool m : ctx.pools()) {
      offers.add(
          new PoolOffer(
              m.id(), m.spotToOnDemand(), hazards.get(m), launchable(ctx, m) && !inBurst(ctx, m)));
    }
    Optional<PoolId> chosen =
        new Placement(policy)
            .choose(
                build.ramGiB(),
                ctx.fleet().lengths.expected(build),
                offers,
                copies(ctx) && !options.standingCopies().byHazardOnly() && build.standingCopy()
                    ? ctx.fleet().copyCostPerHour()
                    : Double.POSITIVE_INFINITY);
    return chosen
        .flatMap(id -> ctx.pools().stream().filter(p -> p.id().equals(id)).findFirst())
        .orElse(null);
  }

  /**
   * The notice: {@link NoticeResponse} (the public strategy code) decides the evacuations of the
   * notified host and, with burst drain, the pool's drain ({@link FleetDecision.DrainPool}) and the
   * evacuations of its other hosts; the pool is then avoided for new agents until the drain's quiet
   * end and for moves back for the dwell time; this applies its decisions to the simulated fleet.
   */
  @Override
  public void onNotice(SimHost host, SimContext ctx) {
    refresh(ctx, false);
    SpotPool m = host.pool;
    boolean drain = options.burstDrain() && m != null;
    Fleet fleet = ctx.fleet();
    Instant base = Instant.EPOCH;
    Map<PoolId, SpotPool> pools = new HashMap<>();
    for (SpotPool p : ctx.pools()) {
      pools.put(p.id(), p);
    }
    NoticeResponse response =
        new NoticeResponse(
            ctx.estimator(),
            Duration.ofSeconds(ctx.config().launchSeconds()),
            ram -> fleet.onDemandSizeGiB(ram) - ctx.config().hostOverheadGiB());
    List<FleetDecision> decisions =
        response.onNotice(
            FleetViews.hosts(fleet),
            host.id,
            base.plusSeconds(ctx.now()),
            base.plusSeconds(host.noticeDeadline()),
            drain
                ? Optional.of(base.plusSeconds(ctx.now() + burstWindowSeconds))
                : Optional.empty(),
            pool -> calm(pools.get(pool)),
            leftToCopy(fleet));
    for (FleetDecision d : decisions) {
      if (d instanceof FleetDecision.DrainPool p && pools.containsKey(p.pool())) {
        // the pool takes no new agent until the drain's quiet end, nor moves back for the dwell
        burstQuietUntil.put(pools.get(p.pool()), p.quietUntil().getEpochSecond());
        unsafeSince.put(pools.get(p.pool()), ctx.now());
      }
    }
    FleetViews.apply(fleet, decisions, base);
  }

  private boolean calm(SpotPool pool) {
    return pool != null && hazards.containsKey(pool) && hazards.get(pool).p15() < 0.05;
  }

  /** Whether a launch in {@code m} is worth trying: none failed there lately. */
  private static boolean launchable(SimContext ctx, SpotPool m) {
    return !m.failedWithin(ctx.now(), SimContext.RETRY_AFTER_FAILED_LAUNCH_SECONDS);
  }

  private boolean inBurst(SimContext ctx, SpotPool m) {
    Long until = burstQuietUntil.get(m);
    return until != null && ctx.now() < until;
  }

  @Override
  public void onTick(SimContext ctx) {
    if (ctx.now() % decisionSeconds != 0) {
      return;
    }
    refresh(ctx, true);
    if (copies(ctx)) {
      if (options.standingCopies() == CopyMode.ALWAYS) {
        ctx.fleet().spotHostAgentCap = ctx.fleet().copiesPerHost();
      }
      ctx.fleet().copiesUnasked = options.standingCopies().copiesUnasked();
      keepCopies(ctx);
    }
    boolean evacuated = evacuateRisky(ctx);
    if (!evacuated) {
      moveBack(ctx);
    }
    consolidator.consolidateOnce(ctx.fleet(), policy);
    if (options.warmSpares() != OursOptions.SpareMode.OFF) {
      keepSpares(ctx);
    }
  }

  private boolean copies(SimContext ctx) {
    return options.standingCopies() != CopyMode.OFF && ctx.fleet().copiesAvailable();
  }

  /** Agents (by view id) that hold a standing copy. */
  private static Predicate<String> hasCopy(Fleet fleet) {
    Set<String> ids = new java.util.HashSet<>();
    for (SimAgent a : fleet.agents) {
      if (a.copy != null) {
        ids.add(FleetViews.agentId(a));
      }
    }
    return ids::contains;
  }

  /**
   * Agents (by view id) whose build may get a standing copy ({@link CopyWish}): those that asked,
   * and in copy mode {@code AT_RISK} those that did not ask either (not those that refused).
   */
  private static Predicate<String> asked(Fleet fleet) {
    Set<String> ids = new java.util.HashSet<>();
    for (SimAgent a : fleet.agents) {
      if (a.build.mayBeCopied(fleet.copiesUnasked)) {
        ids.add(FleetViews.agentId(a));
      }
    }
    return ids::contains;
  }

  /** Agents (by view id) whose standing copy is current (a notice would only need the flush). */
  private static Predicate<String> withCopy(Fleet fleet) {
    Set<String> ids = new java.util.HashSet<>();
    for (SimAgent a : fleet.agents) {
      if (a.copy != null && a.copy.current()) {
        ids.add(FleetViews.agentId(a));
      }
    }
    return ids::contains;
  }

  /**
   * Agents (by view id) left to their standing copy rather than moved, by a notice's response, a
   * burst drain and the risk lane alike: the copy is current, or it is syncing to a ready backup (a
   * move would drop it and send the whole memory again over the same link). An agent whose copy
   * waits for its backup's launch is not protected yet (a notice now would find no copy to flush),
   * as in the orchestrator, which has no copy record until the stream to a ready backup starts.
   */
  static Predicate<String> leftToCopy(Fleet fleet) {
    Set<String> ids = new java.util.HashSet<>();
    for (SimAgent a : fleet.agents) {
      StandingCopy c = a.copy;
      if (c != null && (c.current() || (c.backup.ready(fleet.now) && !c.backup.terminated))) {
        ids.add(FleetViews.agentId(a));
      }
    }
    return ids::contains;
  }

  /**
   * Starts and stops standing copies as the public {@link StandingCopyPlan} decides (one per agent
   * on a spot host whose build asked for a copy, or in {@code AT_RISK} did not refuse one: the
   * others are not shown to it, as in the orchestrator, so they get none and take none of a host
   * link's streams).
   */
  private void keepCopies(SimContext ctx) {
    Fleet fleet = ctx.fleet();
    fleet.copyDecisions = true;
    List<PoolOffer> offers = new ArrayList<>();
    for (SpotPool m : ctx.pools()) {
      offers.add(new PoolOffer(m.id(), m.spotToOnDemand(), hazards.get(m), true));
    }
    List<CopyDecision> decisions =
        new StandingCopyPlan(
                policy, options.standingCopies(), fleet.copyCostPerHour(), fleet.copiesPerHost())
            .decide(
                StandingCopyPlan.onlyAsking(FleetViews.hosts(fleet), asked(fleet)),
                offers,
                Instant.EPOCH.plusSeconds(fleet.now),
                hasCopy(fleet),
                fleet.freeBackupSlots(),
                fleet.backupRatePerHour,
                fleet.copiesPerBackup());
    Map<String, SimAgent> agents = new HashMap<>();
    for (SimAgent a : fleet.agents) {
      agents.put(FleetViews.agentId(a), a);
    }
    Set<String> zones = new java.util.TreeSet<>();
    for (CopyDecision d : decisions) {
      SimAgent a = agents.get(d.agentId());
      if (a == null) {
        continue;
      }
      a.copyBasis = d.basis();
      if (d.keep()) {
        zones.add(a.host.zone);
      }
      if (d.keep() && a.copy == null && a.migration == null) {
        fleet.startCopy(a, false);
      } else if (!d.keep() && a.copy != null) {
        fleet.dropCopy(a);
      }
    }
    // with every agent protected, a free slot ready in every zone where copies are kept: the next
    // agent's copy starts at once
    for (String zone : options.standingCopies().byHazardOnly() ? Set.<String>of() : zones) {
      if (!fleet.backupSlotFree(zone)) {
        fleet.launchBackup(zone, false);
      }
    }
  }

  /** One shared set of spares, sized for the neediest pool by the public {@link WarmSparePlan}. */
  private void keepSpares(SimContext ctx) {
    Map<PoolId, ExponentialHazard> byPool = new HashMap<>();
    List<PoolId> order = new ArrayList<>();
    for (SpotPool m : ctx.pools()) {
      byPool.put(m.id(), hazards.get(m));
      order.add(m.id());
    }
    Fleet fleet = ctx.fleet();
    FleetViews.apply(
        fleet,
        spares
            .plan(fleet)
            .keep(
                FleetViews.hosts(fleet),
                order,
                byPool,
                options.warmSpares() == OursOptions.SpareMode.ALWAYS,
                fleet.homeZone,
                Instant.EPOCH.plusSeconds(fleet.now)),
        Instant.EPOCH);
  }

  private void refresh(SimContext ctx, boolean force) {
    for (SpotPool m : ctx.pools()) {
      if (!force && hazards.containsKey(m)) {
        continue;
      }
      hazards.put(m, model.assess(m.observe()));
      if (m.lastFailedLaunchAt() != Long.MIN_VALUE) {
        unsafeSince.merge(m, m.lastFailedLaunchAt(), Math::max);
      }
    }
  }

  /**
   * Leaves risky spot hosts early with the public {@link RiskEvacuation}; true when any agent
   * leaves.
   */
  private boolean evacuateRisky(SimContext ctx) {
    Fleet fleet = ctx.fleet();
    List<PoolOffer> offers = new ArrayList<>();
    for (SpotPool m : ctx.pools()) {
      offers.add(new PoolOffer(m.id(), m.spotToOnDemand(), hazards.get(m), true));
    }
    List<FleetDecision> decisions =
        new RiskEvacuation(
                policy,
                Duration.ofSeconds(ctx.config().launchSeconds()),
                ram -> fleet.onDemandSizeGiB(ram) - ctx.config().hostOverheadGiB())
            .decide(
                FleetViews.hosts(fleet),
                offers,
                Instant.EPOCH.plusSeconds(fleet.now),
                leftToCopy(fleet));
    for (FleetDecision d : decisions) {
      if (d instanceof FleetDecision.Evacuate e) {
        for (SimHost h : fleet.alive()) {
          if (h.id.equals(e.fromHostId())) {
            unsafeSince.put(h.pool, ctx.now());
          }
        }
      }
    }
    FleetViews.apply(fleet, decisions, Instant.EPOCH);
    return !decisions.isEmpty();
  }

  /**
   * Moves agents on on-demand back to spot with the public {@link MoveBackPlan}, one agent at a
   * time (a failed launch closes the pool for the next ones); a pool is open when no launch failed
   * there lately and it has been free of evacuations and notices for the dwell time.
   */
  private void moveBack(SimContext ctx) {
    Fleet fleet = ctx.fleet();
    long now = ctx.now();
    MoveBackPlan plan =
        new MoveBackPlan(
            policy,
            Duration.ofSeconds(ctx.config().launchSeconds()),
            Duration.ofSeconds(MIN_ON_DEMAND_SECONDS),
            fleet.crossZoneCostPerGiB);
    for (SimAgent a : new ArrayList<>(fleet.agents)) {
      if (a.host.spot()
          || a.migration != null
          || !a.host.ready(now)
          || now - a.onHostSince < MIN_ON_DEMAND_SECONDS) {
        continue;
      }
      List<PoolOffer> offers = new ArrayList<>();
      for (SpotPool m : ctx.pools()) {
        boolean dwelt = now - unsafeSince.getOrDefault(m, 0L) >= SAFE_DWELL_SECONDS;
        offers.add(
            new PoolOffer(m.id(), m.spotToOnDemand(), hazards.get(m), launchable(ctx, m) && dwelt));
      }
      List<HostView> views = FleetViews.hosts(fleet);
      HostView host =
          views.stream().filter(v -> v.id().equals(a.host.id)).findFirst().orElseThrow();
      AgentView agent =
          host.agents().stream()
              .filter(v -> v.id().equals(FleetViews.agentId(a)))
              .findFirst()
              .orElseThrow();
      plan.decide(views, host, agent, offers, Instant.EPOCH.plusSeconds(now))
          .ifPresent(d -> FleetViews.apply(fleet, List.of(d), Instant.EPOCH, ctx.pools()));
    }
  }
}
