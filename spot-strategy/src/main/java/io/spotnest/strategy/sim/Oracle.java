package io.spotnest.strategy.sim;

import io.spotnest.strategy.policy.MigrationPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The yardstick: it knows every reclamation of the trace in advance, uses spot whenever a pool has capacity, and
 * its destinations are ready exactly when needed (launch costs it no waiting), but it still pays the migration
 * time on both hosts. It evacuates a pool's hosts just early enough before the first host of a burst can go,
 * moves agents back to spot when a pool is clear for a while, and consolidates half-empty spot hosts like ours.
 */
final class Oracle implements Strategy {
  private static final long MARGIN_SECONDS = 30;
  private static final long MOVE_BACK_CLEAR_SECONDS = 30 * 60;
  private static final double MOVE_BACK_MIN_REMAINING_SECONDS = 15 * 60;
  private final Consolidator consolidator = new Consolidator();
  private final MigrationPolicy policy;

  Oracle(MigrationPolicy policy) {
    this.policy = policy;
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
  public Market choosePool(Build build, SimContext ctx) {
    Market best = null;
    for (Market m : ctx.markets()) {
      Market.Drop d = m.nextDropAfter(ctx.now());
      boolean clear = d == null || d.second() - ctx.config().burstSpreadSeconds() > ctx.now() + 600;
      if (m.open(ctx.now()) && clear && m.pool.spotToOnDemand() < 1
          && (best == null || m.pool.spotToOnDemand() < best.pool.spotToOnDemand())) {
        best = m;
      }
    }
    return best;
  }

  @Override
  public void onTick(SimContext ctx) {
    Fleet fleet = ctx.fleet();
    long now = ctx.now();
    for (Market m : ctx.markets()) {
      Market.Drop d = m.nextDropAfter(now);
      if (d == null) {
        continue;
      }
      long firstLoss = d.second() - ctx.config().burstSpreadSeconds();
      for (SimHost h : fleet.alive()) {
        if (h.pool != m.pool) {
          continue;
        }
        double evac = 0;
        for (SimAgent a : h.agents) {
          if (a.migration == null) {
            evac += ctx.estimator().estimate(a.build.ramGiB(), 1).toSeconds();
          }
        }
        if (evac > 0 && now + 1.5 * evac + MARGIN_SECONDS + 2L * ctx.config().tickSeconds() >= firstLoss) {
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

  private void moveBack(SimContext ctx) {
    Fleet fleet = ctx.fleet();
    long now = ctx.now();
    Market target = null;
    for (Market m : ctx.markets()) {
      Market.Drop d = m.nextDropAfter(now);
      if (m.open(now) && m.pool.spotToOnDemand() < 1
          && (d == null || d.second() - ctx.config().burstSpreadSeconds() > now + MOVE_BACK_CLEAR_SECONDS)
          && (target == null || m.pool.spotToOnDemand() < target.pool.spotToOnDemand())) {
        target = m;
      }
    }
    if (target == null) {
      return;
    }
    List<SimAgent> onDemand = new ArrayList<>();
    for (SimAgent a : fleet.agents) {
      if (!a.host.spot() && a.migration == null && a.host.ready(now)
          && a.remainingSeconds() > MOVE_BACK_MIN_REMAINING_SECONDS) {
        onDemand.add(a);
      }
    }
    Market pool = target;
    for (SimAgent a : onDemand) {
      SimHost dest = fleet.findRoom(a.build.ramGiB(), h -> h.pool == pool.pool);
      if (dest == null) {
        dest = fleet.launch(pool, true);
      }
      if (dest == null || dest.freeGiB() < a.build.ramGiB()) {
        return;
      }
      fleet.migrate(a, dest, -1, false);
    }
  }
}
