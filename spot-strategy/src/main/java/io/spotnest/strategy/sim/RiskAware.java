package io.spotnest.strategy.sim;

import io.spotnest.strategy.data.MinuteTimeline;
import io.spotnest.strategy.data.TraceSignalFeed;
import io.spotnest.strategy.policy.AgentContext;
import io.spotnest.strategy.policy.Decision;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.ExponentialHazard;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Our strategy: the risk model sees each pool's trace causally (plus the 2-minute notice) and the migration policy
 * decides per agent every decision tick: leave early when the expected loss beats the on-demand premium, move back
 * to spot when a pool has been safe for a while, consolidate half-empty on-demand hosts, and on a notice evacuate
 * the host smallest agent first to ready capacity. With {@link OursOptions} it also keeps hazard-sized warm spares
 * ({@link WarmSpares}) and drains a pool's other hosts on the first notice of a burst.
 */
final class RiskAware implements Strategy {
  private static final long SAFE_DWELL_SECONDS = 15 * 60;
  private static final long MIN_ON_DEMAND_SECONDS = 10 * 60;

  private final HazardRiskModel model;
  private final MigrationPolicy policy;
  private final Map<Market, TraceSignalFeed> feeds = new HashMap<>();
  private final Map<Market, ExponentialHazard> hazards = new HashMap<>();
  private final Map<Market, Long> unsafeSince = new HashMap<>();
  private final long decisionSeconds;
  private final Map<Market, Long> lastNoticeAt = new HashMap<>();
  private final Consolidator consolidator = new Consolidator();
  private final OursOptions options;
  private final WarmSpares spares;
  private final long burstWindowSeconds;

  RiskAware(HazardParameters model, PolicyParameters policy, Simulator sim, OursOptions options) {
    this.model = new HazardRiskModel(model);
    this.policy = new MigrationPolicy(policy, sim.estimator());
    this.decisionSeconds = Math.max(1, policy.decisionInterval().toSeconds());
    this.options = options;
    SimConfig c = sim.config();
    this.burstWindowSeconds = c.noticeSeconds() + c.burstSpreadSeconds();
    // a notified host has the notice; with burst drain the later hosts of a burst have on average half the spread more
    this.spares = new WarmSpares(policy, sim.estimator(), c,
        c.noticeSeconds() - c.tickSeconds() + (options.burstDrain() ? c.burstSpreadSeconds() / 2 : 0));
  }

  @Override
  public String name() {
    return ComparisonTable.OURS;
  }

  @Override
  public Market choosePool(Build build, SimContext ctx) {
    refresh(ctx, false);
    Market best = null;
    for (Market m : ctx.markets()) {
      ExponentialHazard h = hazards.get(m);
      if (!m.open(ctx.now()) || inBurst(ctx, m) || !policy.placeOnSpot(build.ramGiB(), Duration.ofSeconds((long) (build.durationMin() * 60)),
          h, m.pool.spotToOnDemand())) {
        continue;
      }
      if (best == null || h.p60() < hazards.get(best).p60()) {
        best = m;
      }
    }
    return best;
  }

  /**
   * Forced evacuation of the notified host (see {@link #evacuateWithin}); with burst drain also of the pool's other
   * hosts, which are then avoided for new agents and moves back during the quiet period.
   */
  @Override
  public void onNotice(SimHost host, SimContext ctx) {
    refresh(ctx, false);
    evacuateWithin(host, host.reclaimAt, ctx);
    Market m = market(ctx, host);
    if (!options.burstDrain() || m == null) {
      return;
    }
    lastNoticeAt.put(m, ctx.now());
    unsafeSince.put(m, ctx.now());
    // bursts: the other hosts of the pool are likely next, at the latest a burst spread after this one
    for (SimHost other : ctx.fleet().alive()) {
      if (other != host && other.pool == host.pool && !other.notified && !other.agents.isEmpty()) {
        evacuateWithin(other, ctx.now() + burstWindowSeconds, ctx);
      }
    }
  }

  /**
   * Cordons {@code host} and starts, smallest agent first, the migrations that can still finish by
   * {@code deadline} when queued behind the smaller ones on the host's link, preferring a destination that is
   * ready now (a warm spare or a host with room); the others are not started (they could only waste an on-demand
   * host) and restart if the host is reclaimed.
   */
  private void evacuateWithin(SimHost host, long deadline, SimContext ctx) {
    host.cordoned = true;
    List<SimAgent> out = host.agents.stream().sorted(Comparator.comparingDouble(a -> a.build.ramGiB())).toList();
    long queued = 0;
    for (SimAgent a : out) {
      if (a.migration != null) {
        queued += ctx.estimator().estimate(a.build.ramGiB(), 1).toSeconds();
        continue;
      }
      long drain = ctx.estimator().estimate(a.build.ramGiB(), 1).toSeconds();
      SimHost ready = ctx.fleet().findRoom(a.build.ramGiB(), h -> h != host && h.ready(ctx.now())
          && (!h.spot() || (!h.notified && safe(ctx, h))));
      long destIn = ready != null ? 0 : ctx.config().launchSeconds();
      if (ctx.now() + destIn + queued + drain > deadline) {
        continue;
      }
      queued += drain;
      if (ready != null) {
        ctx.fleet().migrate(a, ready, deadline, true);
      } else {
        ctx.fleet().evacuate(a, deadline, true, h -> !h.notified && safe(ctx, h), false);
      }
    }
  }

  private boolean inBurst(SimContext ctx, Market m) {
    Long at = lastNoticeAt.get(m);
    return at != null && ctx.now() - at < SAFE_DWELL_SECONDS;
  }

  @Override
  public void onTick(SimContext ctx) {
    if (ctx.now() % decisionSeconds != 0) {
      return;
    }
    refresh(ctx, true);
    boolean evacuated = evacuateRisky(ctx);
    if (!evacuated) {
      moveBack(ctx);
    }
    consolidator.consolidateOnce(ctx.fleet(), policy);
    if (options.warmSpares() != OursOptions.SpareMode.OFF) {
      keepSpares(ctx);
    }
  }

  /** One shared set of spares, sized for the pool that needs the most room (see {@link WarmSpares}). */
  private void keepSpares(SimContext ctx) {
    double wanted = 0;
    for (Market m : ctx.markets()) {
      List<SimHost> inPool = new ArrayList<>();
      for (SimHost h : ctx.fleet().alive()) {
        if (h.pool == m.pool && !h.notified && !h.agents.isEmpty()) {
          inPool.add(h);
        }
      }
      if (!inPool.isEmpty()) {
        wanted = Math.max(wanted, spares.wantedGiB(inPool, hazards.get(m),
            options.warmSpares() == OursOptions.SpareMode.ALWAYS));
      }
    }
    spares.keep(ctx.fleet(), wanted);
  }


  private boolean safe(SimContext ctx, SimHost h) {
    Market m = market(ctx, h);
    return m != null && hazards.containsKey(m) && hazards.get(m).p15() < 0.05;
  }

  private Market market(SimContext ctx, SimHost h) {
    for (Market m : ctx.markets()) {
      if (m.pool == h.pool) {
        return m;
      }
    }
    return null;
  }

  private void refresh(SimContext ctx, boolean force) {
    for (Market m : ctx.markets()) {
      TraceSignalFeed feed = feeds.computeIfAbsent(m, k -> new TraceSignalFeed(k.pool.trace(),
          MinuteTimeline.of(k.pool.trace()), k.pool.advisor(), OptionalInt.empty()));
      if (!force && hazards.containsKey(m)) {
        continue;
      }
      feed.advanceTo(ctx.now());
      ExponentialHazard h = model.assess(feed.observer().snapshot(instant(ctx, m)));
      hazards.put(m, h);
      if (!m.open(ctx.now())) {
        unsafeSince.put(m, ctx.now());
      }
    }
  }

  private static Instant instant(SimContext ctx, Market m) {
    return m.pool.trace().start().plusSeconds(ctx.now());
  }

  private boolean evacuateRisky(SimContext ctx) {
    Fleet fleet = ctx.fleet();
    boolean any = false;
    for (SimHost host : fleet.alive()) {
      if (!host.spot() || host.notified || host.agents.isEmpty()) {
        continue;
      }
      Market m = market(ctx, host);
      double hostRam = 0;
      for (SimAgent a : host.agents) {
        hostRam += a.build.ramGiB();
      }
      for (SimAgent a : new ArrayList<>(host.agents)) {
        if (a.migration != null) {
          continue;
        }
        AgentContext c = new AgentContext(instant(ctx, m), a.build.ramGiB(),
            Duration.ofSeconds((long) a.progressSeconds), Duration.ofSeconds((long) Math.max(0, a.remainingSeconds())),
            m.pool.trace().pool(), hazards.get(m), m.pool.spotToOnDemand(), hostRam, destinationReadyIn(ctx, a),
            Optional.empty());
        Decision d = policy.decide(c);
        if (d instanceof Decision.MigrateOut out) {
          unsafeSince.put(m, ctx.now());
          long deadline = Duration.between(m.pool.trace().start(), out.deadline()).toSeconds();
          fleet.evacuate(a, deadline, false, h -> false, false);
          any = true;
        }
      }
    }
    return any;
  }

  private Duration destinationReadyIn(SimContext ctx, SimAgent a) {
    long best = ctx.config().launchSeconds();
    for (SimHost h : ctx.fleet().hosts) {
      if (!h.spot() && h.usable() && h.freeGiB() >= a.build.ramGiB()) {
        best = Math.min(best, Math.max(0, h.readyAt - ctx.now()));
      }
    }
    return Duration.ofSeconds(best);
  }

  private void moveBack(SimContext ctx) {
    Fleet fleet = ctx.fleet();
    long now = ctx.now();
    Market target = null;
    for (Market m : ctx.markets()) {
      boolean dwelt = now - unsafeSince.getOrDefault(m, 0L) >= SAFE_DWELL_SECONDS;
      if (m.open(now) && dwelt && m.pool.spotToOnDemand() < 1
          && (target == null || hazards.get(m).p60() < hazards.get(target).p60())) {
        target = m;
      }
    }
    if (target == null) {
      return;
    }
    Market pool = target;
    for (SimAgent a : new ArrayList<>(fleet.agents)) {
      if (a.host.spot() || a.migration != null || !a.host.ready(now) || now - a.onHostSince < MIN_ON_DEMAND_SECONDS) {
        continue;
      }
      SimHost dest = fleet.findRoom(a.build.ramGiB(), h -> h.pool == pool.pool);
      double hostRam = a.build.ramGiB() + (dest == null ? 0 : dest.reservedGiB);
      Decision d = policy.moveBack(new AgentContext(instant(ctx, pool), a.build.ramGiB(),
          Duration.ofSeconds((long) a.progressSeconds), Duration.ofSeconds((long) Math.max(0, a.remainingSeconds())),
          pool.pool.trace().pool(), hazards.get(pool), pool.pool.spotToOnDemand(), hostRam,
          Duration.ofSeconds(ctx.config().launchSeconds()), Optional.empty()));
      if (!(d instanceof Decision.MoveBack)) {
        continue;
      }
      if (dest == null) {
        dest = fleet.launch(pool, false);
      }
      if (dest == null || dest.freeGiB() < a.build.ramGiB()) {
        return;
      }
      fleet.migrate(a, dest, -1, false);
    }
  }
}
