package io.spotnest.strategy.sim;

import io.spotnest.strategy.policy.CrossZoneTransfer;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.policy.MigrationTimeEstimator;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.policy.StandingCopyAssumptions;
import io.spotnest.strategy.risk.HazardParameters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays the pools' traces against a workload for one strategy, in fixed ticks: the market picks
 * the victims of each reclamation (all hosts of the pool when its count falls to zero, spread over
 * a burst window), notices arrive {@link SimConfig#noticeSeconds()} before each reclamation,
 * migrations share the source host's link and fight the dirty rate, builds on a reclaimed host
 * restart from zero, and every host is billed from launch. Strategies get views without the future
 * ({@link SpotPool} up to the run's clock, {@link SimHost} without its reclamation time, {@link
 * BuildRequest} without the build's true length); only a {@link Clairvoyant} strategy (the oracle)
 * is handed the {@link Market} truth and the {@link TrueLengths}.
 *
 * <p>Only the part of the run from {@link #scoredFromSeconds()} on is scored (cost, restarts,
 * misses, migrations, traffic); the part before warms up the fleet and the strategies'
 * observations. Builds unfinished at the end are billed for their remaining time on a right-sized
 * on-demand host; builds arriving after the end are not part of the run.
 */
public final class Simulator {
  private final SimConfig config;
  private final List<PoolMarket> pools;
  private final MigrationTimeEstimator estimator;
  private final long scoredFrom;
  private final BuildLengthEstimate.Mode lengths;

  /**
   * Cost units per GiB sent between zones (both sides billed); NaN when the pools are all in one
   * zone.
   */
  private final double crossZoneCostPerGiB;

  /** A backup host's cost per hour in cost units; NaN when the first pool's type has no price. */
  private final double backupRatePerHour;

  private final StandingCopyAssumptions copies = StandingCopyAssumptions.DEFAULTS;

  public Simulator(SimConfig config, List<PoolMarket> pools) {
    this(config, pools, 0, BuildLengthEstimate.Mode.CONDITIONAL);
  }

  private Simulator(
      SimConfig config, List<PoolMarket> pools, long scoredFrom, BuildLengthEstimate.Mode lengths) {
    this.config = Objects.requireNonNull(config, "config");
    if (pools.isEmpty()) {
      throw new IllegalArgumentException("at least one pool is needed");
    }
    this.pools = List.copyOf(pools);
    this.estimator = new ParametricMigrationEstimator(config.migration());
    if (scoredFrom < 0 || scoredFrom >= lengthSeconds()) {
      throw new IllegalArgumentException(
          "the scored part must start within the run (0.."
              + lengthSeconds()
              + " s), got "
              + scoredFrom
              + " s");
    }
    this.scoredFrom = scoredFrom;
    this.lengths = Objects.requireNonNull(lengths, "lengths");
    this.crossZoneCostPerGiB = crossZoneCostPerGiB(config, this.pools);
    this.backupRatePerHour =
        OnDemandPrices.usdPerHour(this.pools.get(0).trace().pool().instanceType())
            .map(usd -> copies.backupUsdPerHour() / (usd / this.pools.get(0).hostRamGiB()))
            .orElse(Double.NaN);
  }

  private static double crossZoneCostPerGiB(SimConfig config, List<PoolMarket> pools) {
    if (pools.stream().map(p -> p.trace().pool().zone()).distinct().count() < 2) {
      return Double.NaN;
    }
    String type = pools.get(0).trace().pool().instanceType();
    double usdPerHour =
        OnDemandPrices.usdPerHour(type)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no on-demand price known for instance type '"
                            + type
                            + "' (needed to price cross-zone transfer)"));
    double usdPerCostUnit = usdPerHour / pools.get(0).hostRamGiB();
    return new CrossZoneTransfer(config.crossZoneUsdPerGBEachWay()).costPerGiB(usdPerCostUnit);
  }

  /** This simulator scoring only the run's part from {@code fraction} of its length on. */
  public Simulator scoredFrom(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "the scored part must start at a fraction in [0, 1), got " + fraction);
    }
    return new Simulator(config, pools, (long) Math.ceil(lengthSeconds() * fraction), lengths);
  }

  /** This simulator scoring only from {@code second} on. */
  public Simulator scoredFromSecond(long second) {
    return new Simulator(config, pools, second, lengths);
  }

  /**
   * This simulator telling the strategies without foresight build lengths as {@code mode} says
   * ({@link BuildLengthEstimate}; default {@code EXACT}); the oracle always knows them.
   */
  public Simulator withBuildEstimate(BuildLengthEstimate.Mode mode) {
    return new Simulator(config, pools, scoredFrom, mode);
  }

  /** Where the scored part of the run starts, seconds. */
  public long scoredFromSeconds() {
    return scoredFrom;
  }

  /** Length of the run: the shortest trace. */
  public long lengthSeconds() {
    return pools.stream().mapToLong(p -> p.trace().length().getSeconds()).min().orElseThrow();
  }

  /** The on-demand host size (the first pool's instance type). */
  public double onDemandHostRamGiB() {
    return pools.get(0).hostRamGiB();
  }

  /** Smallest host's room for agents. */
  public double smallestUsableHostGiB() {
    return pools.stream().mapToDouble(PoolMarket::hostRamGiB).min().orElseThrow()
        - config.hostOverheadGiB();
  }

  SimResult run(Strategy strategy, Workload workload) {
    return run(strategy, workload, new HashSet<>());
  }

  /**
   * As {@link #run(Strategy, Workload)}, adding the ids of the builds restarted in the scored part
   * to {@code hit}.
   */
  SimResult run(Strategy strategy, Workload workload, Set<Integer> hit) {
    double maxRam = workload.maxRamGiB();
    if (maxRam > onDemandHostRamGiB() - config.hostOverheadGiB()) {
      throw new IllegalArgumentException(
          "a build needs "
              + maxRam
              + " GiB but an on-demand host has only "
              + (onDemandHostRamGiB() - config.hostOverheadGiB())
              + " GiB for agents");
    }
    // the run's present: only this method sets it (a strategy can set the fleet's copy, fleet.now,
    // but the pools' signals and launches read this one)
    AtomicLong clock = new AtomicLong();
    List<Market> markets = new ArrayList<>();
    Map<SpotPool, Market> truth = new IdentityHashMap<>();
    for (PoolMarket p : pools) {
      Market m = new Market(p, config, clock::get);
      markets.add(m);
      truth.put(m.view, m);
    }
    Fleet fleet =
        new Fleet(
            config,
            onDemandHostRamGiB(),
            pools.get(0).trace().pool().zone(),
            crossZoneCostPerGiB,
            pool -> truth.get(pool).hasCapacity(clock.get()));
    fleet.copyAssumptions = copies;
    fleet.backupRatePerHour = backupRatePerHour;
    TrueLengths trueLengths = new TrueLengths();
    List<BuildRequest> requests = workload.builds().stream().map(trueLengths::add).toList();
    if (strategy instanceof Clairvoyant c) {
      c.foresee(Map.copyOf(truth), trueLengths);
    }
    fleet.lengths =
        strategy instanceof Clairvoyant || lengths == BuildLengthEstimate.Mode.EXACT
            ? new BuildLengthEstimate(trueLengths)
            : new BuildLengthEstimate(lengths);
    SimContext ctx =
        new SimContext(fleet, markets.stream().map(m -> m.view).toList(), estimator, config);
    SplittableRandom rnd = new SplittableRandom(config.seed());
    Tally tally = new Tally();
    Map<SimHost, Long> reclaimAt = new IdentityHashMap<>();
    Iterator<BuildRequest> arrivals = requests.iterator();
    BuildRequest nextArrival = arrivals.hasNext() ? arrivals.next() : null;
    long end = lengthSeconds();
    int dt = config.tickSeconds();
    for (long now = 0; now < end; now += dt) {
      clock.set(now);
      fleet.now = now;
      tally.scored = now >= scoredFrom;
      scheduleReclamations(fleet, markets, rnd, now, reclaimAt);
      for (SimHost h : fleet.alive()) {
        Long at = reclaimAt.get(h);
        if (at != null && !h.notified && now >= at - config.noticeSeconds()) {
          h.notice(at);
          if (h.pool != null) {
            h.pool.noticeReceived(at, h.id);
          }
          abortMovesInto(fleet, h);
          flushCopies(fleet, h, tally);
          strategy.onNotice(h, ctx);
        }
      }
      for (SimHost h : fleet.alive()) {
        Long at = reclaimAt.get(h);
        if (at != null && now >= at) {
          reclaim(fleet, h, tally);
        }
      }
      while (nextArrival != null && nextArrival.arrivalMin() * 60 <= now) {
        fleet.waiting.addLast(nextArrival);
        fleet.lengths.arrived(nextArrival);
        nextArrival = arrivals.hasNext() ? arrivals.next() : null;
      }
      placeWaiting(fleet, strategy, ctx);
      progressMigrations(fleet, dt, tally);
      progressCopies(fleet, dt, tally);
      progressBuilds(fleet, trueLengths, dt, tally);
      moveOnFromBackups(fleet, strategy.instantLaunch());
      strategy.onTick(ctx);
      retireIdle(fleet);
      if (tally.scored) {
        for (SimHost h : fleet.hosts) {
          if (!h.terminated) {
            tally.cost += h.ratePerHour * dt / 3600.0;
            tally.onDemandCost += h.spot() ? 0 : h.ratePerHour * dt / 3600.0;
          }
        }
      }
      fleet.hosts.removeIf(h -> h.terminated);
    }
    List<BuildRequest> unfinished = new ArrayList<>(fleet.waiting);
    // a build arriving after the run is no work of it: billing it would dilute every saving
    if (nextArrival != null && nextArrival.arrivalMin() * 60 < end) {
      unfinished.add(nextArrival);
    }
    arrivals.forEachRemaining(
        b -> {
          if (b.arrivalMin() * 60 < end) {
            unfinished.add(b);
          }
        });
    double rest = 0;
    for (BuildRequest b : unfinished) {
      rest += fleet.onDemandSizeGiB(b.ramGiB()) * trueLengths.minutes(b) / 60;
    }
    for (SimAgent a : fleet.agents) {
      rest +=
          fleet.onDemandSizeGiB(a.build.ramGiB())
              * Math.max(0, trueLengths.remainingSeconds(a))
              / 3600;
    }
    tally.cost += rest;
    tally.onDemandCost += rest;
    hit.addAll(tally.restarted);
    int incomplete = fleet.agents.size() + unfinished.size();
    return new SimResult(
        strategy.name(),
        tally.cost,
        tally.onDemandCost,
        tally.restarted.size(),
        tally.lostSeconds / 3600,
        tally.migrations,
        tally.deadlineMisses,
        tally.completed == 0 ? Double.NaN : tally.completionSeconds / tally.completed / 60,
        tally.completed,
        incomplete,
        tally.sentMiB / 1024,
        tally.crossZoneMiB / 1024,
        tally.lostOnDemandCost,
        tally.copyMiB / 1024,
        tally.flushes,
        new RestartBreakdown(tally.causes, tally.inMove),
        "");
  }

  /** Runs every strategy (ours with the given model and policy) and the oracle, on-demand first. */
  public Map<String, SimResult> compare(
      Workload workload, HazardParameters model, PolicyParameters policy) {
    return compare(workload, model, policy, OursOptions.DEFAULTS);
  }

  /**
   * As {@link #compare(Workload, HazardParameters, PolicyParameters)} with our strategy's fleet
   * mechanisms chosen. The oracle's result is the cheapest plan it could have played with
   * hindsight: its foresight runs ({@link Oracle.Plan}), on-demand only, or the moves of any
   * strategy, each only if it restarted nothing and missed no deadline (it knows their outcome; a
   * foresight run can fail too, e.g. when a host drains slower than it planned); so it restarts
   * nothing and is at least as good as each of those.
   */
  public Map<String, SimResult> compare(
      Workload workload, HazardParameters model, PolicyParameters policy, OursOptions ours) {
    Map<String, SimResult> out = new LinkedHashMap<>();
    MigrationPolicy consolidation = new MigrationPolicy(policy, estimator);
    for (Strategy s :
        List.of(
            new OnDemandOnly(),
            new SpotRestart(),
            new SpotNoticeMigrate(),
            new RiskAware(model, policy, estimator, config, ours))) {
      out.put(s.name(), run(s, workload));
    }
    SimResult migrate = run(new Oracle(consolidation, Oracle.Plan.MIGRATE), workload);
    SimResult fit = run(new Oracle(consolidation, Oracle.Plan.FIT_BEFORE_DROP), workload);
    SimResult copy =
        run(
            new Oracle(consolidation, Oracle.Plan.COPY, ours.standingCopies().copiesUnasked()),
            workload);
    // only a run that restarted nothing and missed no deadline is a plan the oracle may claim (a
    // foresight run can fail, e.g. a host draining slower than planned); on-demand only always is
    SimResult best = null;
    String how = null;
    if (cleanAndCheaper(migrate, best)) {
      best = migrate;
      how = "foresight with migrations";
    }
    if (cleanAndCheaper(fit, best)) {
      best = fit;
      how = "foresight, spot only where a build fits";
    }
    if (cleanAndCheaper(copy, best)) {
      best = copy;
      how = "foresight with standing copies";
    }
    for (SimResult r : out.values()) {
      if (cleanAndCheaper(r, best)) {
        best = r;
        how = "the moves of '" + r.strategy() + "'";
      }
    }
    double base = out.get(ComparisonTable.ON_DEMAND).cost();
    String note =
        String.format(
            Locale.ROOT,
            "oracle = cheapest hindsight plan: %s (foresight with migrations "
                + "saves %s%%%s, spot only where a build fits %s%%%s, with standing copies %s%%%s)",
            how,
            ComparisonTable.pct(migrate.savingPct(base)),
            failures(migrate),
            ComparisonTable.pct(fit.savingPct(base)),
            failures(fit),
            ComparisonTable.pct(copy.savingPct(base)),
            failures(copy));
    out.put(ComparisonTable.ORACLE, best.as(ComparisonTable.ORACLE, note));
    return out;
  }

  /**
   * Empty for a run that restarted nothing and missed no deadline, else what it restarted and
   * missed.
   */
  private static String failures(SimResult r) {
    return clean(r)
        ? ""
        : " but restarted " + r.buildsRestarted() + ", missed " + r.deadlineMisses();
  }

  /** Whether {@code r} restarted nothing, missed no deadline and costs less than {@code best}. */
  private static boolean cleanAndCheaper(SimResult r, SimResult best) {
    return clean(r) && (best == null || r.cost() < best.cost());
  }

  /** Whether {@code r} restarted nothing and missed no deadline. */
  private static boolean clean(SimResult r) {
    return r.buildsRestarted() == 0 && r.deadlineMisses() == 0;
  }

  MigrationTimeEstimator estimator() {
    return estimator;
  }

  SimConfig config() {
    return config;
  }

  List<PoolMarket> pools() {
    return pools;
  }

  private void scheduleReclamations(
      Fleet fleet,
      List<Market> markets,
      SplittableRandom rnd,
      long now,
      Map<SimHost, Long> reclaimAt) {
    for (Market m : markets) {
      Market.Drop d;
      while ((d = m.dropClosingBy(now)) != null) {
        List<SimHost> inPool = new ArrayList<>();
        for (SimHost h : fleet.hosts) {
          if (!h.terminated && h.pool == m.view && !reclaimAt.containsKey(h)) {
            inPool.add(h);
          }
        }
        int victims =
            d.after() == 0
                ? inPool.size()
                : (int) Math.ceil(inPool.size() * (d.before() - d.after()) / (double) d.before());
        for (int i = 0; i < victims; i++) {
          SimHost h = inPool.remove(rnd.nextInt(inPool.size()));
          long at =
              d.second()
                  - (config.burstSpreadSeconds() == 0
                      ? 0
                      : rnd.nextInt(config.burstSpreadSeconds() + 1));
          reclaimAt.put(h, Math.max(now + config.noticeSeconds(), at));
        }
      }
      // a host launched while its pool is losing all capacity goes with the others (with the full
      // notice)
      Market.Drop pending = m.pendingDropToZero(now);
      if (pending != null) {
        for (SimHost h : fleet.hosts) {
          if (!h.terminated && h.pool == m.view && !reclaimAt.containsKey(h)) {
            reclaimAt.put(h, Math.max(now + config.noticeSeconds(), pending.second()));
          }
        }
      }
    }
  }

  static void reclaim(Fleet fleet, SimHost h, Tally tally) {
    for (SimAgent a : new ArrayList<>(h.agents)) {
      fleet.dropCopy(a);
      if (a.migration != null) {
        if (tally.scored && (a.migration.forced || a.migration.deadline >= 0)) {
          tally.deadlineMisses++; // a voluntary move has no deadline to miss
        }
        cancel(fleet, a.migration);
      }
      if (a.progressSeconds > 0 && tally.scored) {
        if (tally.restarted.add(a.build.id())) {
          tally.causes.merge(
              a.noticedOn == h ? a.atNotice : RestartCause.AFTER_NOTICE, 1, Integer::sum);
          if (a.noticedOn == h && a.moveAtNotice != null) {
            tally.inMove.merge(a.moveAtNotice, 1, Integer::sum);
          }
        }
        tally.lostSeconds += a.progressSeconds;
        tally.lostOnDemandCost +=
            fleet.onDemandSizeGiB(a.build.ramGiB()) * a.progressSeconds / 3600;
      }
      fleet.agents.remove(a);
      fleet.waiting.addFirst(a.build);
    }
    h.agents.clear();
    for (Migration m : new ArrayList<>(fleet.migrations)) {
      if (m.to == h) {
        cancel(fleet, m);
      }
    }
    h.reservedGiB = 0;
    fleet.terminate(h);
  }

  /**
   * A host under notice takes no agent: the moves into it are aborted (their agents stay where they
   * are, and the strategy may move them elsewhere).
   */
  private static void abortMovesInto(Fleet fleet, SimHost h) {
    for (Migration m : new ArrayList<>(fleet.migrations)) {
      if (m.to == h) {
        cancel(fleet, m);
      }
    }
  }

  private static void cancel(Fleet fleet, Migration m) {
    m.to.reservedGiB -= m.agent.build.ramGiB();
    m.agent.migration = null;
    fleet.migrations.remove(m);
  }

  private static void placeWaiting(Fleet fleet, Strategy strategy, SimContext ctx) {
    int n = fleet.waiting.size();
    for (int i = 0; i < n; i++) {
      BuildRequest b = fleet.waiting.pollFirst();
      if (fleet.held(b)) {
        fleet.waiting.addLast(b);
        continue;
      }
      SpotPool pool = strategy.choosePool(b, ctx);
      boolean placed = fleet.place(b, pool, strategy.instantLaunch());
      if (!placed && pool != null && !fleet.held(b)) {
        placed = fleet.place(b, null, strategy.instantLaunch());
      }
      if (!placed) {
        fleet.waiting.addLast(b);
      }
    }
  }

  private void progressMigrations(Fleet fleet, int dt, Tally tally) {
    Map<SimHost, Integer> active = new HashMap<>();
    double eff = config.migration().effectiveMiBps();
    double dirty = config.migration().dirtyMiBps();
    List<Migration> running = new ArrayList<>();
    for (Migration m : fleet.migrations) {
      if (!m.to.ready(fleet.now) || m.to.terminated) {
        continue;
      }
      int n = active.getOrDefault(m.from, 0);
      if (n < config.maxMigrationsPerSource()) {
        active.put(m.from, n + 1);
        running.add(m);
      }
    }
    for (Migration m : running) {
      double share = eff / active.get(m.from);
      double net = share - dirty;
      double seconds = dt;
      if (net > 0 && m.remainingMiB < net * dt) {
        seconds = m.remainingMiB / net;
      }
      if (net > 0) {
        m.remainingMiB -= net * seconds;
      }
      if (tally.scored) {
        tally.sentMiB += share * seconds;
        if (m.crossZone) {
          tally.crossZoneMiB += share * seconds;
          tally.cost += crossZoneCostPerGiB * share * seconds / 1024;
        }
      }
      if (m.remainingMiB <= 1e-9) {
        SimAgent a = m.agent;
        m.from.agents.remove(a);
        m.from.reservedGiB -= a.build.ramGiB();
        m.to.agents.add(a);
        a.host = m.to;
        a.migration = null;
        a.onHostSince = fleet.now;
        fleet.migrations.remove(m);
        if (tally.scored) {
          tally.migrations++;
        }
      }
    }
  }

  private static void progressBuilds(Fleet fleet, TrueLengths truth, int dt, Tally tally) {
    for (Iterator<SimAgent> it = fleet.agents.iterator(); it.hasNext(); ) {
      SimAgent a = it.next();
      if (!a.host.ready(fleet.now)) {
        continue;
      }
      a.progressSeconds += dt;
      if (truth.remainingSeconds(a) <= 0) {
        fleet.dropCopy(a);
        if (a.migration != null) {
          cancel(fleet, a.migration);
        }
        a.host.agents.remove(a);
        a.host.reservedGiB -= a.build.ramGiB();
        it.remove();
        fleet.lengths.finished(truth.of(a.build));
        tally.completed++;
        tally.completionSeconds += fleet.now + dt - a.build.arrivalMin() * 60;
      }
    }
  }

  /**
   * The notice of {@code h}: every agent whose standing copy is current is flushed to its backup
   * and runs there from now on, when the flush (one after another on each backup's link) ends
   * before the deadline; every other copy on {@code h} is dropped (a lagging copy protects
   * nothing).
   */
  private void flushCopies(Fleet fleet, SimHost h, Tally tally) {
    for (SimAgent a : new ArrayList<>(h.agents)) {
      StandingCopy c = a.copy;
      a.noticedOn = h;
      a.atNotice =
          a.migration != null
              ? a.migration.protectionAtStart
              : c == null
                  ? withoutCopy(a, fleet.copyDecisions, fleet.copiesUnasked)
                  : copyState(c, fleet.now);
      a.moveAtNotice = a.migration == null ? null : a.migration.kind();
      if (c == null) {
        continue;
      }
      if (c.current() && c.backup.ready(fleet.now) && !c.backup.terminated) {
        a.atNotice = RestartCause.FLUSH_LATE;
        if (!flush(fleet, a, h, tally)) {
          fleet.dropCopy(a);
        }
      } else if (c.backup.terminated) {
        fleet.dropCopy(a);
      }
      // a copy still syncing is a pre-copy migration to its backup under way: it goes on, and
      // flushes if it becomes current in time (progressCopies)
    }
  }

  /**
   * Flushes the current standing copy of {@code a} (on the notified host {@code h}): one after
   * another on its backup's link; when that ends by the notice's deadline the agent runs on the
   * backup from now on and true is returned.
   */
  private boolean flush(Fleet fleet, SimAgent a, SimHost h, Tally tally) {
    StandingCopy c = a.copy;
    double done = Math.max(fleet.now, c.backup.flushFreeAt) + copies.flushSeconds();
    if (done > h.noticeDeadline()) {
      return false;
    }
    c.backup.flushFreeAt = done;
    c.backup.copies--;
    a.copy = null;
    h.agents.remove(a);
    h.reservedGiB -= a.build.ramGiB();
    c.backup.agents.add(a);
    a.host = c.backup;
    a.onHostSince = fleet.now;
    if (tally.scored) {
      tally.flushes++;
      tally.migrations++;
      double sent = config.migration().dirtyMiBps() * copies.flushSeconds();
      tally.copyMiB += sent;
      if (!c.backup.zone.equals(h.zone)) {
        tally.crossZoneMiB += sent;
        tally.cost += crossZoneCostPerGiB * sent / 1024;
      }
    }
    return true;
  }

  /** Why an agent without a standing copy at its host's notice had none. */
  static RestartCause withoutCopy(SimAgent a, boolean decided, boolean unasked) {
    if (!decided) {
      return RestartCause.NO_COPIES;
    }
    if (!a.build.mayBeCopied(unasked)) {
      return RestartCause.NOT_ASKED;
    }
    if (a.copyBasis == null) {
      return RestartCause.UNDECIDED;
    }
    return switch (a.copyBasis) {
      case LOSS_BELOW_COST -> RestartCause.DECLINED;
      case LOSS_BELOW_NEW_BACKUP -> RestartCause.DECLINED_NEW_BACKUP;
      case HOST_LINK_FULL -> RestartCause.HOST_LINK_FULL;
      case MIGRATING -> RestartCause.MIGRATING;
      case OFF -> RestartCause.NO_COPIES;
      // kept, but dropped or never started since (a migration in between)
      case PROTECTED, AFFORDABLE -> RestartCause.UNDECIDED;
    };
  }

  /** What keeps a standing copy from saving its agent at a notice now, if it is not flushed. */
  static RestartCause copyState(StandingCopy c, long now) {
    if (c.backup.terminated) {
      return RestartCause.BACKUP_GONE;
    }
    if (!c.backup.ready(now)) {
      return RestartCause.BACKUP_LAUNCHING;
    }
    if (!c.current()) {
      return c.wasCurrent ? RestartCause.COPY_LAGGING : RestartCause.COPY_SYNCING;
    }
    return RestartCause.FLUSH_LATE;
  }

  /**
   * The standing streams send: per source host, the link (shared with its running migrations) is
   * split max-min fairly between its streams, each capped by its backup's link shared between the
   * streams into it; a stream that gets less than the guest's dirty rate falls behind.
   */
  private void progressCopies(Fleet fleet, int dt, Tally tally) {
    double eff = config.migration().effectiveMiBps();
    double dirty = config.migration().dirtyMiBps();
    Map<SimHost, List<SimAgent>> bySource = new LinkedHashMap<>();
    Map<SimHost, Integer> intoBackup = new HashMap<>();
    for (SimAgent a : fleet.agents) {
      StandingCopy c = a.copy;
      if (c != null && c.backup.ready(fleet.now) && !c.backup.terminated) {
        if (!c.streaming) {
          // pages the guest never touched go as zero-page markers (QEMU), so the first pass sends
          // what it has touched: at most its dirty rate over its run so far
          c.streaming = true;
          c.pendingMiB = Math.min(c.pendingMiB, dirty * (a.progressSeconds + dt));
        }
        bySource.computeIfAbsent(a.host, k -> new ArrayList<>()).add(a);
        intoBackup.merge(c.backup, 1, Integer::sum);
      }
    }
    Map<SimHost, Integer> migrating = new HashMap<>();
    for (Migration m : fleet.migrations) {
      if (m.to.ready(fleet.now) && !m.to.terminated) {
        migrating.merge(m.from, 1, Integer::sum);
      }
    }
    for (Map.Entry<SimHost, List<SimAgent>> e : bySource.entrySet()) {
      List<SimAgent> streams = new ArrayList<>(e.getValue());
      streams.sort(
          java.util.Comparator.comparingDouble((SimAgent a) -> a.copy.pendingMiB)
              .thenComparingInt(a -> a.build.id()));
      double left =
          eff
              / (1
                  + Math.min(
                      config.maxMigrationsPerSource(), migrating.getOrDefault(e.getKey(), 0)));
      int n = streams.size();
      for (SimAgent a : streams) {
        StandingCopy c = a.copy;
        double demand = c.pendingMiB / dt + dirty;
        double rate = Math.min(demand, Math.min(left / n, eff / intoBackup.get(c.backup)));
        left -= rate;
        n--;
        double sent = rate * dt;
        c.pendingMiB = Math.max(0, c.pendingMiB + dirty * dt - sent);
        c.wasCurrent |= c.current();
        if (tally.scored) {
          tally.copyMiB += sent;
          if (!c.backup.zone.equals(a.host.zone)) {
            tally.crossZoneMiB += sent;
            tally.cost += crossZoneCostPerGiB * sent / 1024;
          }
        }
        if (c.current() && a.host.notified) {
          // a copy that caught up after its host's notice flushes now, if in time
          SimHost h = a.host;
          if (!flush(fleet, a, h, tally)) {
            fleet.dropCopy(a);
          }
        }
      }
    }
  }

  /**
   * Agents running on a backup after a flush move on to on-demand room in their zone, else to a new
   * on-demand host there (the orchestrator's ordinary evacuation); from there the strategy may move
   * them back to spot.
   */
  private static void moveOnFromBackups(Fleet fleet, boolean instant) {
    for (SimHost b : fleet.alive()) {
      if (!b.backup) {
        continue;
      }
      for (SimAgent a : new ArrayList<>(b.agents)) {
        if (a.migration == null) {
          fleet.evacuate(a, -1, false, h -> false, instant);
        }
      }
    }
  }

  private void retireIdle(Fleet fleet) {
    for (SimHost h : fleet.hosts) {
      if (h.terminated || h.spare()) {
        continue;
      }
      boolean empty = h.agents.isEmpty() && h.reservedGiB < 1e-9;
      if (!empty) {
        h.emptySince = fleet.now;
      } else if (h.ready(fleet.now)
          && (h.notified || h.cordoned || fleet.now - h.emptySince >= config.idleSeconds())) {
        fleet.terminate(h);
      }
    }
  }

  /** Counters of one run (only the scored part counts, see {@link #scored}). */
  static final class Tally {
    boolean scored;
    double cost;
    double onDemandCost;
    final Set<Integer> restarted = new HashSet<>();
    final Map<RestartCause, Integer> causes = new java.util.EnumMap<>(RestartCause.class);
    final Map<RestartCause.Move, Integer> inMove = new java.util.EnumMap<>(RestartCause.Move.class);
    double lostSeconds;
    double lostOnDemandCost;
    int deadlineMisses;
    int migrations;
    double sentMiB;
    double crossZoneMiB;
    double copyMiB;
    int flushes;
    int completed;
    double completionSeconds;
  }
}
