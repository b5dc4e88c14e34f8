package io.spotnest.strategy.sim;

import io.spotnest.strategy.policy.MigrationPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The yardstick's foresight run: it is handed every reclamation of the trace in advance ({@link
 * Clairvoyant}), uses spot whenever a pool has capacity and stays clear, and its destinations are
 * ready exactly when needed (launch costs it no waiting), but it still pays the migration time on
 * both hosts and the cross-zone transfer. It evacuates a pool's hosts just early enough before the
 * first host of a burst can go, moves agents back to spot in their region when a pool is clear for
 * a while and the saving beats the transfer, and consolidates half-empty spot hosts like ours
 * ({@link Plan#MIGRATE}). With {@link Plan#FIT_BEFORE_DROP} it never migrates: a build goes to spot
 * only where it finishes before the pool's next reclamation can reach it, else to on-demand. {@link
 * Simulator#compare} takes the cheapest of these runs and the other plans it could have played.
 */
final class Oracle implements Strategy, Clairvoyant {
  private static final long MARGIN_SECONDS = 30;
  private static final long MOVE_BACK_CLEAR_SECONDS = 30 * 60;
  private static final double MOVE_BACK_MIN_REMAINING_SECONDS = 15 * 60;
  private final Consolidator consolidator = new Consolidator();
  private final MigrationPolicy policy;
  private final Plan plan;
  private Map<SpotPool, Market> truth = Map.of();

  /** The oracle's ways of using its foresight. */
  enum Plan {
    /** Spot while clear, evacuate just before a burst, move back and consolidate. */
    MIGRATE,
    /** Spot only for builds that finish before the pool's next reclamation; no migration at all. */
    FIT_BEFORE_DROP
  }

  Oracle(MigrationPolicy policy) {
    this(policy, Plan.MIGRATE);
  }

  Oracle(MigrationPolicy policy, Plan plan) {
    this.policy = policy;
    this.plan = plan;
  }

  @Override
  public void foresee(Map<SpotPool, Market> truth) {
    this.truth = truth;
  }

  @Override
  public String name() {
    return ComparisonTable.ORACLE;
  }

  @Override
  public boolean instantLaunch() {
    return true;
  }

  @Override
  public SpotPool choosePool(Build build, SimContext ctx) {
    SpotPool best = null;
    long needed =
        plan == Plan.MIGRATE
            ? 600
            : (long) (build.durationMin() * 60) + 2L * ctx.config().tickSeconds() + MARGIN_SECONDS;
    for (SpotPool p : ctx.pools()) {
      Market m = truth.get(p);
      Market.Drop d = m.nextDropAfter(ctx.now());
      boolean clear =
          d == null || d.second() - ctx.config().burstSpreadSeconds() > ctx.now() + needed;
      if (m.open(ctx.now())
          && clear
          && p.spotToOnDemand() < 1
          && (best == null || p.spotToOnDemand() < best.spotToOnDemand())) {
        best = p;
      }
    }
    return best;
  }

  @Override
  public void onTick(SimContext ctx) {
    if (plan == Plan.FIT_BEFORE_DROP) {
      return;
    }
    Fleet fleet = ctx.fleet();
    long now = ctx.now();
    for (SpotPool p : ctx.pools()) {
      Market.Drop d = truth.get(p).nextDropAfter(now);
      if (d == null) {
        continue;
      }
      long firstLoss = d.second() - ctx.config().burstSpreadSeconds();
      for (SimHost h : fleet.alive()) {
        if (h.pool != p) {
          continue;
        }
        double evac = 0;
        for (SimAgent a : h.agents) {
          if (a.migration == null) {
            evac += ctx.estimator().estimate(a.build.ramGiB(), 1).toSeconds();
          }
        }
        if (evac > 0
            && now + 1.5 * evac + MARGIN_SECONDS + 2L * ctx.config().tickSeconds() >= firstLoss) {
          h.cordoned = true;
          for (SimAgent a : new ArrayList<>(h.agents)) {
            fleet.evacuate(a, firstLoss, true, x -> false, true);
          }
        }
      }
    }
    moveBack(ctx);
    if (now % 60 == 0) {
      consolidator.consolidateOnce(fleet, policy);
    }
  }

  private boolean clearFor(SpotPool p, long now, long seconds, SimConfig config) {
    Market m = truth.get(p);
    Market.Drop d = m.nextDropAfter(now);
    return m.open(now)
        && p.spotToOnDemand() < 1
        && (d == null || d.second() - config.burstSpreadSeconds() > now + seconds);
  }

  private void moveBack(SimContext ctx) {
    Fleet fleet = ctx.fleet();
    long now = ctx.now();
    List<SimAgent> onDemand = new ArrayList<>();
    for (SimAgent a : fleet.agents) {
      if (!a.host.spot()
          && a.migration == null
          && a.host.ready(now)
          && a.remainingSeconds() > MOVE_BACK_MIN_REMAINING_SECONDS) {
        onDemand.add(a);
      }
    }
    for (SimAgent a : onDemand) {
      SpotPool target = null;
      for (SpotPool p : ctx.pools()) {
        if (p.region().equals(a.host.region())
            && clearFor(p, now, MOVE_BACK_CLEAR_SECONDS, ctx.config())
            && fleet.moveWorthTransfer(
                a,
                p.zone(),
                p.spotToOnDemand(),
                Math.min(a.remainingSeconds(), MOVE_BACK_CLEAR_SECONDS))
            && (target == null || p.spotToOnDemand() < target.spotToOnDemand())) {
          target = p;
        }
      }
      if (target == null) {
        continue;
      }
      SpotPool pool = target;
      SimHost dest = fleet.findRoom(a.build.ramGiB(), h -> h.pool == pool);
      if (dest == null) {
        dest = fleet.launch(pool, true);
      }
      if (dest == null || dest.freeGiB() < a.build.ramGiB()) {
        continue;
      }
      fleet.migrate(a, dest, -1, false);
    }
  }
}
