package io.spotnest.strategy.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The hosts, agents, waiting builds and migrations of one simulation run, with the operations strategies use:
 * place, launch, migrate. Launching takes {@link SimConfig#launchSeconds()} unless the caller is the oracle.
 * Spot hosts are the pool's instance type; on-demand hosts are right-sized: the smallest size of the first
 * pool's family (1/32, 1/16, 1/8, 1/4, 1/2, 3/4 or all of its RAM) that holds the agent plus the host overhead,
 * priced per GiB like the family. A warm spare is an on-demand host that takes no new builds, only evacuations;
 * the first migration onto it makes it an ordinary on-demand host.
 */
final class Fleet {
  final SimConfig config;
  final double onDemandHostRamGiB;
  final List<SimHost> hosts = new ArrayList<>();
  final List<SimAgent> agents = new ArrayList<>();
  final List<Migration> migrations = new ArrayList<>();
  final Deque<Build> waiting = new ArrayDeque<>();
  private int nextHostId;
  long now;
  int migrationsDone;

  Fleet(SimConfig config, double onDemandHostRamGiB) {
    this.config = config;
    this.onDemandHostRamGiB = onDemandHostRamGiB;
  }

  private static final double[] FAMILY = {1 / 32.0, 1 / 16.0, 1 / 8.0, 1 / 4.0, 1 / 2.0, 3 / 4.0, 1};

  /** Launches a spot host in {@code pool}; null when the pool refuses (no capacity). */
  SimHost launch(Market pool, boolean instant) {
    if (!pool.open(now)) {
      return null;
    }
    return launch(pool, pool.pool.hostRamGiB(), instant);
  }

  /** Launches a right-sized on-demand host for an agent of {@code agentGiB}. */
  SimHost launchOnDemand(double agentGiB, boolean instant) {
    double size = onDemandHostRamGiB;
    for (double f : FAMILY) {
      if (onDemandHostRamGiB * f >= agentGiB + config.hostOverheadGiB()) {
        size = onDemandHostRamGiB * f;
        break;
      }
    }
    return launch(null, size, instant);
  }

  private SimHost launch(Market pool, double raw, boolean instant) {
    double rate = pool == null ? raw : raw * pool.pool.spotToOnDemand();
    SimHost h = new SimHost((pool == null ? "od-" : "spot-") + nextHostId++, pool == null ? null : pool.pool,
        raw - config.hostOverheadGiB(), rate, now, instant ? now : now + config.launchSeconds());
    hosts.add(h);
    return h;
  }

  /** The best-fitting usable host with room for {@code ramGiB} among those matching {@code filter}, or null. */
  SimHost findRoom(double ramGiB, Predicate<SimHost> filter) {
    return hosts.stream().filter(h -> h.usable() && h.freeGiB() >= ramGiB && filter.test(h))
        .min(Comparator.comparingDouble(SimHost::freeGiB)).orElse(null);
  }

  /** Starts {@code build} on {@code host}. */
  SimAgent start(Build build, SimHost host) {
    if (host.freeGiB() < build.ramGiB()) {
      throw new IllegalStateException("host " + host.id + " has no room for build " + build.id());
    }
    SimAgent a = new SimAgent(build, host, now);
    host.reservedGiB += build.ramGiB();
    host.agents.add(a);
    agents.add(a);
    return a;
  }

  /** Places {@code build} in {@code pool} (null = on-demand), launching a host if none has room. */
  boolean place(Build build, Market pool, boolean instant) {
    SimHost h = findRoom(build.ramGiB(), x -> !x.spare() && (pool == null ? !x.spot() : x.pool == pool.pool));
    if (h == null) {
      h = pool == null ? launchOnDemand(build.ramGiB(), instant) : launch(pool, instant);
    }
    if (h == null || h.freeGiB() < build.ramGiB()) {
      return false;
    }
    start(build, h);
    return true;
  }

  /** Queues a migration of {@code a} to {@code to}, reserving its RAM there. */
  void migrate(SimAgent a, SimHost to, long deadline, boolean forced) {
    if (a.migration != null || to == a.host || to.freeGiB() < a.build.ramGiB()) {
      throw new IllegalStateException("invalid migration of build " + a.build.id());
    }
    Migration m = new Migration(a, a.host, to, deadline, forced);
    to.spare = false;
    to.reservedGiB += a.build.ramGiB();
    a.migration = m;
    migrations.add(m);
  }

  /**
   * Moves {@code a} off its host to a destination with room among {@code candidates} (on-demand hosts always
   * qualify), launching an on-demand host if none has room. Returns false if it is already moving.
   */
  boolean evacuate(SimAgent a, long deadline, boolean forced, Predicate<SimHost> candidates, boolean instant) {
    if (a.migration != null) {
      return false;
    }
    SimHost dest = findRoom(a.build.ramGiB(), h -> h != a.host && (!h.spot() || candidates.test(h)));
    if (dest == null) {
      dest = launchOnDemand(a.build.ramGiB(), instant);
    }
    migrate(a, dest, deadline, forced);
    return true;
  }

  /** Launches a right-sized on-demand host for {@code agentGiB} of agents, kept as a warm spare. */
  SimHost launchSpare(double agentGiB) {
    SimHost h = launchOnDemand(agentGiB, false);
    h.spare = true;
    return h;
  }

  List<SimHost> alive() {
    return hosts.stream().filter(h -> !h.terminated).toList();
  }

  void terminate(SimHost h) {
    h.terminated = true;
  }
}
