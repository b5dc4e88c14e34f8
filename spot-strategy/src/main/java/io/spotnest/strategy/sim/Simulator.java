package io.spotnest.strategy.sim;

import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.policy.MigrationTimeEstimator;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.HazardParameters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Replays the pools' traces against a workload for one strategy, in fixed ticks: the market closes a pool and picks
 * the victims of each reclamation (all hosts of the pool when its count falls to zero, spread over a burst window),
 * notices arrive {@link SimConfig#noticeSeconds()} before each reclamation, migrations share the source host's link
 * and fight the dirty rate, builds on a reclaimed host restart from zero, and every host is billed from launch.
 */
public final class Simulator {
  private final SimConfig config;
  private final List<PoolMarket> pools;
  private final MigrationTimeEstimator estimator;

  public Simulator(SimConfig config, List<PoolMarket> pools) {
    this.config = Objects.requireNonNull(config, "config");
    if (pools.isEmpty()) {
      throw new IllegalArgumentException("at least one pool is needed");
    }
    this.pools = List.copyOf(pools);
    this.estimator = new ParametricMigrationEstimator(config.migration());
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
    return pools.stream().mapToDouble(PoolMarket::hostRamGiB).min().orElseThrow() - config.hostOverheadGiB();
  }

  SimResult run(Strategy strategy, Workload workload) {
    double maxRam = workload.maxRamGiB();
    if (maxRam > onDemandHostRamGiB() - config.hostOverheadGiB()) {
      throw new IllegalArgumentException("a build needs " + maxRam + " GiB but an on-demand host has only "
          + (onDemandHostRamGiB() - config.hostOverheadGiB()) + " GiB for agents");
    }
    Fleet fleet = new Fleet(config, onDemandHostRamGiB());
    List<Market> markets = new ArrayList<>();
    for (PoolMarket p : pools) {
      markets.add(new Market(p, config));
    }
    SimContext ctx = new SimContext(fleet, List.copyOf(markets), estimator, config);
    SplittableRandom rnd = new SplittableRandom(config.seed());
    Tally tally = new Tally();
    Iterator<Build> arrivals = workload.builds().iterator();
    Build nextArrival = arrivals.hasNext() ? arrivals.next() : null;
    long end = lengthSeconds();
    int dt = config.tickSeconds();
    for (long now = 0; now < end; now += dt) {
      fleet.now = now;
      scheduleReclamations(fleet, markets, rnd, now);
      for (SimHost h : fleet.alive()) {
        if (h.noticeAt >= 0 && !h.notified && now >= h.noticeAt) {
          h.notified = true;
          strategy.onNotice(h, ctx);
        }
      }
      for (SimHost h : fleet.alive()) {
        if (h.reclaimAt >= 0 && now >= h.reclaimAt) {
          reclaim(fleet, h, tally);
        }
      }
      while (nextArrival != null && nextArrival.arrivalMin() * 60 <= now) {
        fleet.waiting.addLast(nextArrival);
        nextArrival = arrivals.hasNext() ? arrivals.next() : null;
      }
      placeWaiting(fleet, strategy, ctx);
      progressMigrations(fleet, dt);
      progressBuilds(fleet, dt, tally);
      strategy.onTick(ctx);
      retireIdle(fleet);
      for (SimHost h : fleet.hosts) {
        if (!h.terminated) {
          tally.cost += h.ratePerHour * dt / 3600.0;
          tally.onDemandCost += h.spot() ? 0 : h.ratePerHour * dt / 3600.0;
        }
      }
      fleet.hosts.removeIf(h -> h.terminated);
    }
    int incomplete = fleet.agents.size() + fleet.waiting.size() + (nextArrival == null ? 0 : 1);
    while (arrivals.hasNext()) {
      arrivals.next();
      incomplete++;
    }
    return new SimResult(strategy.name(), tally.cost, tally.onDemandCost, tally.restarts, tally.lostSeconds / 3600, fleet.migrationsDone,
        tally.deadlineMisses, tally.completed == 0 ? Double.NaN : tally.completionSeconds / tally.completed / 60,
        tally.completed, incomplete);
  }

  /** Runs every strategy (ours with the given model and policy) and the oracle, on-demand first. */
  public Map<String, SimResult> compare(Workload workload, HazardParameters model, PolicyParameters policy) {
    return compare(workload, model, policy, OursOptions.DEFAULTS);
  }

  /** As {@link #compare(Workload, HazardParameters, PolicyParameters)} with our strategy's fleet mechanisms chosen. */
  public Map<String, SimResult> compare(Workload workload, HazardParameters model, PolicyParameters policy,
      OursOptions ours) {
    Map<String, SimResult> out = new LinkedHashMap<>();
    MigrationPolicy consolidation = new MigrationPolicy(policy, estimator);
    for (Strategy s : List.of(new OnDemandOnly(), new SpotRestart(), new SpotNoticeMigrate(),
        new RiskAware(model, policy, this, ours), new Oracle(consolidation))) {
      out.put(s.name(), run(s, workload));
    }
    return out;
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

  private void scheduleReclamations(Fleet fleet, List<Market> markets, SplittableRandom rnd, long now) {
    for (Market m : markets) {
      Market.Drop d;
      while ((d = m.dropClosingBy(now)) != null) {
        List<SimHost> inPool = new ArrayList<>();
        for (SimHost h : fleet.hosts) {
          if (!h.terminated && h.pool == m.pool && h.reclaimAt < 0) {
            inPool.add(h);
          }
        }
        int victims = d.after() == 0 ? inPool.size()
            : (int) Math.ceil(inPool.size() * (d.before() - d.after()) / (double) d.before());
        for (int i = 0; i < victims; i++) {
          SimHost h = inPool.remove(rnd.nextInt(inPool.size()));
          long at = d.second() - (config.burstSpreadSeconds() == 0 ? 0 : rnd.nextInt(config.burstSpreadSeconds() + 1));
          h.reclaimAt = Math.max(now, at);
          h.noticeAt = Math.max(now, h.reclaimAt - config.noticeSeconds());
        }
      }
    }
  }

  private static void reclaim(Fleet fleet, SimHost h, Tally tally) {
    for (SimAgent a : new ArrayList<>(h.agents)) {
      if (a.migration != null) {
        tally.deadlineMisses++;
        cancel(fleet, a.migration);
      }
      if (a.progressSeconds > 0) {
        tally.restarts++;
        tally.lostSeconds += a.progressSeconds;
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

  private static void cancel(Fleet fleet, Migration m) {
    m.to.reservedGiB -= m.agent.build.ramGiB();
    m.agent.migration = null;
    fleet.migrations.remove(m);
  }

  private static void placeWaiting(Fleet fleet, Strategy strategy, SimContext ctx) {
    int n = fleet.waiting.size();
    for (int i = 0; i < n; i++) {
      Build b = fleet.waiting.pollFirst();
      Market pool = strategy.choosePool(b, ctx);
      if (!fleet.place(b, pool, strategy.instantLaunch()) && !fleet.place(b, null, strategy.instantLaunch())) {
        fleet.waiting.addLast(b);
      }
    }
  }

  private void progressMigrations(Fleet fleet, int dt) {
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
      double net = eff / active.get(m.from) - dirty;
      if (net > 0) {
        m.remainingMiB -= net * dt;
      }
      if (m.remainingMiB <= 0) {
        SimAgent a = m.agent;
        m.from.agents.remove(a);
        m.from.reservedGiB -= a.build.ramGiB();
        m.to.agents.add(a);
        a.host = m.to;
        a.migration = null;
        a.onHostSince = fleet.now;
        fleet.migrations.remove(m);
        fleet.migrationsDone++;
      }
    }
  }

  private static void progressBuilds(Fleet fleet, int dt, Tally tally) {
    for (Iterator<SimAgent> it = fleet.agents.iterator(); it.hasNext(); ) {
      SimAgent a = it.next();
      if (!a.host.ready(fleet.now)) {
        continue;
      }
      a.progressSeconds += dt;
      if (a.remainingSeconds() <= 0) {
        if (a.migration != null) {
          cancel(fleet, a.migration);
        }
        a.host.agents.remove(a);
        a.host.reservedGiB -= a.build.ramGiB();
        it.remove();
        tally.completed++;
        tally.completionSeconds += fleet.now + dt - a.build.arrivalMin() * 60;
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
      } else if (h.ready(fleet.now) && (h.notified || h.cordoned
          || fleet.now - h.emptySince >= config.idleSeconds())) {
        fleet.terminate(h);
      }
    }
  }

  /** Counters of one run. */
  private static final class Tally {
    double cost;
    double onDemandCost;
    int restarts;
    double lostSeconds;
    int deadlineMisses;
    int completed;
    double completionSeconds;
  }
}
