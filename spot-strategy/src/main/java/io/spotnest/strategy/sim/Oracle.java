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
  private final boolean copiesUnasked;
  private Map<SpotPool, Market> truth = Map.of();
  private TrueLengths lengths = new TrueLengths();

  /** The oracle's ways of using its foresight. */
  enum Plan {
    /** Spot while clear, evacuate just before a burst, move back and consolidate. */
    MIGRATE,
    /** Spot only for builds that finish before the pool's next reclamation; no migration at all. */
    FIT_BEFORE_DROP,
    /**
     * As {@link #MIGRATE}, but a host whose agents standing copies can protect keeps its agents:
     * their copies start just early enough to be current before the burst (same backups, costs and
     * limits as ours) and the notice flushes them.
     */
    COPY
  }

  Oracle(MigrationPolicy policy) {
    this(policy, Plan.MIGRATE);
  }

  Oracle(MigrationPolicy policy, Plan plan) {
    this(policy, plan, false);
  }

  /**
   * @param copiesUnasked whether its copies may also protect builds that did not ask for one (as
   *     ours may in copy mode {@code AT_RISK}); never builds that refused one
   */
  Oracle(MigrationPolicy policy, Plan plan, boolean copiesUnasked) {
    this.policy = policy;
    this.plan = plan;
    this.copiesUnasked = copiesUnasked;
  }

  @Override
  public void foresee(Map<SpotPool, Market> truth, TrueLengths lengths) {
    this.truth = truth;
    this.lengths = lengths;
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
  public SpotPool choosePool(BuildRequest build, SimContext ctx) {
    SpotPool best = null;
    long needed =
        plan != Plan.FIT_BEFORE_DROP
            ? 600
            : (long) (lengths.minutes(build) * 60)
                + 2L * ctx.config().tickSeconds()
                + MARGIN_SECONDS;
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
    boolean dropSoon = false;
    for (SpotPool p : ctx.pools()) {
      Market.Drop d = truth.get(p).nextDropAfter(now);
      if (d == null) {
        if (plan == Plan.COPY) {
          for (SimHost h : fleet.alive()) {
            if (h.pool == p) {
              h.agents.forEach(fleet::dropCopy);
            }
          }
        }
        continue;
      }
      long firstLoss = d.second() - ctx.config().burstSpreadSeconds();
      dropSoon |= firstLoss - now < 30 * 60;
      for (SimHost h : fleet.alive()) {
        if (h.pool != p) {
          continue;
        }
        if (plan == Plan.COPY && copyInstead(ctx, h, firstLoss)) {
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
    if (now % 60 == 0 && !(plan == Plan.COPY && dropSoon)) {
      consolidator.consolidateOnce(fleet, policy);
    }
  }

  /**
   * For the COPY plan: whether standing copies protect {@code h}'s agents from the burst whose
   * first reclamation may come at {@code firstLoss}. Starts their copies when syncing them (the
   * host link beyond the dirty rate of every stream, 1.5 times over) would otherwise end too late,
   * and drops them while the burst is farther away. False when copies cannot protect the host (more
   * agents than its link keeps up with, none priced, an agent whose build may not be copied) or
   * start too late: then it is evacuated.
   */
  private boolean copyInstead(SimContext ctx, SimHost h, long firstLoss) {
    Fleet fleet = ctx.fleet();
    fleet.copiesUnasked = copiesUnasked;
    if (!fleet.copiesAvailable()
        || h.agents.isEmpty()
        || h.agents.stream().anyMatch(a -> !a.build.mayBeCopied(copiesUnasked))) {
      return false;
    }
    int n = h.agents.size();
    double spare =
        ctx.config().migration().effectiveMiBps() - n * ctx.config().migration().dirtyMiBps();
    if (n > fleet.copiesPerHost() || spare <= 0) {
      return false;
    }
    double pending = 0;
    for (SimAgent a : h.agents) {
      if (a.migration != null) {
        return false;
      }
      pending += a.copy == null ? a.build.ramGiB() * 1024 : a.copy.pendingMiB;
    }
    long now = ctx.now();
    long tick = ctx.config().tickSeconds();
    long noticeAt = firstLoss - ctx.config().noticeSeconds();
    double sync = pending / spare;
    if (now + 1.5 * sync + MARGIN_SECONDS + 2 * tick < noticeAt) {
      for (SimAgent a : h.agents) {
        fleet.dropCopy(a);
      }
      return true;
    }
    if (now + 1.2 * sync + 2 * tick >= noticeAt) {
      return pending == 0;
    }
    for (SimAgent a : h.agents) {
      if (a.copy == null) {
        fleet.startCopy(a, true);
      }
    }
    return true;
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
          && lengths.remainingSeconds(a) > MOVE_BACK_MIN_REMAINING_SECONDS) {
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
                Math.min(lengths.remainingSeconds(a), MOVE_BACK_CLEAR_SECONDS))
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
