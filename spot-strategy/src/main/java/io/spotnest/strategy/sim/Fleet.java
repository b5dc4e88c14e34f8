package io.spotnest.strategy.sim;

import io.spotnest.strategy.policy.StandingCopyAssumptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The hosts, agents, waiting builds and migrations of one simulation run, with the operations
 * strategies use: place, launch, migrate. Launching takes {@link SimConfig#launchSeconds()} unless
 * the caller is the oracle; a spot launch into a pool without capacity fails (the strategy's only
 * way to learn it), and the build that asked for it waits {@link SimConfig#failedLaunchSeconds()}
 * before it is placed again. Spot hosts are the pool's instance type in the pool's zone; on-demand
 * hosts are right-sized: the smallest size of the first pool's family (1/32, 1/16, 1/8, 1/4, 1/2,
 * 3/4 or all of its RAM) that holds the agent plus the host overhead, priced per GiB like the
 * family, in the zone they are launched for. A warm spare is an on-demand host that takes no new
 * builds, only evacuations; the first migration onto it makes it an ordinary on-demand host.
 * Migrations stay within a region.
 */
final class Fleet {
  /**
   * Whether a pool has capacity for a launch now, by the run's own clock (not {@link #now}, which a
   * strategy can set): the simulator's knowledge, not the strategy's.
   */
  interface CapacityGate {
    boolean hasCapacity(SpotPool pool);
  }

  final SimConfig config;
  final double onDemandHostRamGiB;

  /** Zone of on-demand hosts launched for new builds (the first pool's zone). */
  final String homeZone;

  final List<SimHost> hosts = new ArrayList<>();
  final List<SimAgent> agents = new ArrayList<>();
  final List<Migration> migrations = new ArrayList<>();
  final Deque<BuildRequest> waiting = new ArrayDeque<>();

  /**
   * Cost units per GiB sent between zones of a region (both sides billed); NaN when there is one
   * zone only.
   */
  final double crossZoneCostPerGiB;

  /** Standing-copy figures (backup size, flush, limits). */
  StandingCopyAssumptions copyAssumptions = StandingCopyAssumptions.DEFAULTS;

  /**
   * New builds that asked for a standing copy go onto a spot host only while it runs fewer such
   * agents than this (a strategy that protects every asking agent with a standing copy packs no
   * more than one host link keeps up with); a build that did not ask takes no stream.
   */
  int spotHostAgentCap = Integer.MAX_VALUE;

  /**
   * Whether the strategy decides standing copies per agent (else an agent without one has none).
   */
  boolean copyDecisions;

  /**
   * Whether the strategy may copy builds that did not ask for a copy (copy mode {@code AT_RISK}); a
   * build that refused one is never copied.
   */
  boolean copiesUnasked;

  /** A backup host's cost per hour in cost units; NaN when it cannot be priced (no copies). */
  double backupRatePerHour = Double.NaN;

  /**
   * What strategies are told of build lengths (the simulator sets it per run; until then it knows
   * no build).
   */
  BuildLengthEstimate lengths = new BuildLengthEstimate(new TrueLengths());

  private final CapacityGate gate;
  private final Map<Integer, Long> retryAt = new HashMap<>();
  private int nextHostId;
  long now;

  Fleet(
      SimConfig config,
      double onDemandHostRamGiB,
      String homeZone,
      double crossZoneCostPerGiB,
      CapacityGate gate) {
    this.config = config;
    this.onDemandHostRamGiB = onDemandHostRamGiB;
    this.homeZone = homeZone;
    this.crossZoneCostPerGiB = crossZoneCostPerGiB;
    this.gate = gate;
  }

  private static final double[] FAMILY = {
    1 / 32.0, 1 / 16.0, 1 / 8.0, 1 / 4.0, 1 / 2.0, 3 / 4.0, 1
  };

  /**
   * Launches a spot host in {@code pool}; null when the pool has no capacity (the pool then
   * remembers it).
   */
  SimHost launch(SpotPool pool, boolean instant) {
    if (!gate.hasCapacity(pool)) {
      pool.launchFailed(now);
      return null;
    }
    return launch(pool, pool.zone(), pool.hostRamGiB(), instant);
  }

  /** Raw RAM of the right-sized on-demand host for an agent of {@code agentGiB}. */
  double onDemandSizeGiB(double agentGiB) {
    for (double f : FAMILY) {
      if (onDemandHostRamGiB * f >= agentGiB + config.hostOverheadGiB()) {
        return onDemandHostRamGiB * f;
      }
    }
    return onDemandHostRamGiB;
  }

  /** Launches a right-sized on-demand host for an agent of {@code agentGiB} in {@code zone}. */
  SimHost launchOnDemand(double agentGiB, String zone, boolean instant) {
    return launch(null, zone, onDemandSizeGiB(agentGiB), instant);
  }

  private SimHost launch(SpotPool pool, String zone, double raw, boolean instant) {
    double rate = pool == null ? raw : raw * pool.spotToOnDemand();
    SimHost h =
        new SimHost(
            (pool == null ? "od-" : "spot-") + nextHostId++,
            pool,
            zone,
            raw - config.hostOverheadGiB(),
            rate,
            now,
            instant ? now : now + config.launchSeconds());
    hosts.add(h);
    return h;
  }

  /**
   * The best-fitting usable host with room for {@code ramGiB} among those matching {@code filter},
   * or null.
   */
  SimHost findRoom(double ramGiB, Predicate<SimHost> filter) {
    return hosts.stream()
        .filter(h -> h.usable() && h.freeGiB() >= ramGiB && filter.test(h))
        .min(Comparator.comparingDouble(SimHost::freeGiB))
        .orElse(null);
  }

  /** Starts {@code build} on {@code host}. */
  SimAgent start(BuildRequest build, SimHost host) {
    if (host.freeGiB() < build.ramGiB()) {
      throw new IllegalStateException("host " + host.id + " has no room for build " + build.id());
    }
    SimAgent a = new SimAgent(build, host, now);
    host.reservedGiB += build.ramGiB();
    host.agents.add(a);
    agents.add(a);
    return a;
  }

  /** How many agents on {@code h} asked for a standing copy (each may take a copy stream). */
  private static long asking(SimHost h) {
    return h.agents.stream().filter(a -> a.build.standingCopy()).count();
  }

  /** Whether {@code build} waits after a failed launch. */
  boolean held(BuildRequest build) {
    Long at = retryAt.get(build.id());
    return at != null && now < at;
  }

  /**
   * Places {@code build} in {@code pool} (null = on-demand), launching a host if none has room. A
   * failed spot launch holds the build for {@link SimConfig#failedLaunchSeconds()}; returns whether
   * it started.
   */
  boolean place(BuildRequest build, SpotPool pool, boolean instant) {
    SimHost h =
        findRoom(
            build.ramGiB(),
            x ->
                !x.spare()
                    && (pool == null
                        ? !x.spot()
                        : x.pool == pool
                            && (!build.standingCopy() || asking(x) < spotHostAgentCap)));
    if (h == null) {
      h = pool == null ? launchOnDemand(build.ramGiB(), homeZone, instant) : launch(pool, instant);
      if (h == null) {
        retryAt.put(build.id(), now + config.failedLaunchSeconds());
        return false;
      }
    }
    if (h.freeGiB() < build.ramGiB()) {
      return false;
    }
    retryAt.remove(build.id());
    start(build, h);
    return true;
  }

  /**
   * Queues a migration of {@code a} to {@code to}, reserving its RAM there; never across regions.
   */
  void migrate(SimAgent a, SimHost to, long deadline, boolean forced) {
    if (a.migration != null || to == a.host || to.freeGiB() < a.build.ramGiB()) {
      throw new IllegalStateException("invalid migration of build " + a.build.id());
    }
    if (!to.region().equals(a.host.region())) {
      throw new IllegalStateException(
          "build "
              + a.build.id()
              + " cannot migrate across regions, from "
              + a.host.zone
              + " to "
              + to.zone);
    }
    RestartCause protection =
        a.copy == null
            ? Simulator.withoutCopy(a, copyDecisions, copiesUnasked)
            : Simulator.copyState(a.copy, now);
    dropCopy(a);
    Migration m = new Migration(a, a.host, to, deadline, forced);
    m.protectionAtStart = protection;
    if (m.crossZone && Double.isNaN(crossZoneCostPerGiB)) {
      throw new IllegalStateException(
          "cross-zone migration of build " + a.build.id() + " without a transfer price");
    }
    to.spare = false;
    to.reservedGiB += a.build.ramGiB();
    a.migration = m;
    migrations.add(m);
  }

  /**
   * Moves {@code a} off its host to a destination with room among {@code candidates} (on-demand
   * hosts always qualify), launching an on-demand host in its zone if none has room. Only a forced
   * move that would otherwise wait for a launch may go to another zone of the region (and pay the
   * transfer); a voluntary or instant one stays in the zone. Returns false if it is already moving.
   */
  boolean evacuate(
      SimAgent a, long deadline, boolean forced, Predicate<SimHost> candidates, boolean instant) {
    if (a.migration != null) {
      return false;
    }
    Predicate<SimHost> ok = h -> !h.spot() || candidates.test(h);
    SimHost dest =
        forced && !instant
            ? destination(a, ok)
            : findRoom(
                a.build.ramGiB(), h -> h != a.host && h.zone.equals(a.host.zone) && ok.test(h));
    if (dest == null) {
      dest = launchOnDemand(a.build.ramGiB(), a.host.zone, instant);
    }
    migrate(a, dest, deadline, forced);
    return true;
  }

  /**
   * A host with room for {@code a} among {@code candidates}: in its zone if there is one (no
   * transfer), else elsewhere in its region; null if none.
   */
  SimHost destination(SimAgent a, Predicate<SimHost> candidates) {
    Predicate<SimHost> ok = h -> h != a.host && candidates.test(h);
    SimHost dest = findRoom(a.build.ramGiB(), h -> h.zone.equals(a.host.zone) && ok.test(h));
    return dest != null
        ? dest
        : findRoom(a.build.ramGiB(), h -> h.region().equals(a.host.region()) && ok.test(h));
  }

  /**
   * Whether moving {@code a} to a host in {@code zone} for the spot saving {@code 1 -
   * spotToOnDemand} over {@code seconds} pays more than the transfer (free within a zone).
   */
  boolean moveWorthTransfer(SimAgent a, String zone, double spotToOnDemand, double seconds) {
    if (zone.equals(a.host.zone)) {
      return true;
    }
    return a.build.ramGiB() * (1 - spotToOnDemand) * seconds / 3600
        > 2 * a.build.ramGiB() * crossZoneCostPerGiB;
  }

  /**
   * Launches a right-sized on-demand host in {@code zone} for {@code agentGiB} of agents, kept as a
   * warm spare.
   */
  SimHost launchSpare(double agentGiB, String zone) {
    SimHost h = launchOnDemand(agentGiB, zone, false);
    h.spare = true;
    return h;
  }

  /** Whether standing copies can be priced and so kept. */
  boolean copiesAvailable() {
    return Double.isFinite(backupRatePerHour);
  }

  /** Copies one backup holds. */
  int copiesPerBackup() {
    return copyAssumptions.copiesPerBackup(config.migration());
  }

  /** Standing streams one host link keeps up with. */
  int copiesPerHost() {
    return copyAssumptions.copiesPerHost(config.migration());
  }

  /**
   * One copy's cost per hour within its zone: its share of a full backup (the stream is free within
   * a zone; backups are launched in the agent's zone).
   */
  double copyCostPerHour() {
    return backupRatePerHour / copiesPerBackup();
  }

  /**
   * Starts a standing copy of {@code a} on a backup in its zone with a free slot and room,
   * launching one if none has.
   */
  void startCopy(SimAgent a, boolean instant) {
    if (!copiesAvailable()) {
      throw new IllegalStateException("standing copies cannot be priced here");
    }
    SimHost backup =
        hosts.stream()
            .filter(
                h ->
                    h.backup
                        && !h.terminated
                        && h.zone.equals(a.host.zone)
                        && h.slots() < copiesPerBackup()
                        && h.freeGiB() >= a.build.ramGiB())
            .findFirst()
            .orElse(null);
    if (backup == null) {
      backup = launchBackup(a.host.zone, instant);
    }
    startCopy(a, backup);
  }

  /** Starts a standing copy of {@code a} on {@code backup} (the test seam for a chosen backup). */
  void startCopy(SimAgent a, SimHost backup) {
    if (a.copy != null || a.migration != null || !backup.backup) {
      throw new IllegalStateException("invalid standing copy of build " + a.build.id());
    }
    if (!a.build.mayBeCopied(copiesUnasked)) {
      throw new IllegalStateException(
          "build " + a.build.id() + " did not ask for a standing copy (" + a.build.copy() + ")");
    }
    if (!backup.region().equals(a.host.region())) {
      throw new IllegalStateException("a standing copy cannot cross regions");
    }
    if (!backup.zone.equals(a.host.zone) && Double.isNaN(crossZoneCostPerGiB)) {
      throw new IllegalStateException("cross-zone standing copy without a transfer price");
    }
    if (backup.slots() >= copiesPerBackup() || backup.freeGiB() < a.build.ramGiB()) {
      throw new IllegalStateException("backup " + backup.id + " is full");
    }
    a.copy = new StandingCopy(backup, a.build.ramGiB());
    backup.copies++;
    backup.reservedGiB += a.build.ramGiB();
  }

  /**
   * Whether {@code zone} has a backup with a free slot (ready or launching), so that a new copy
   * there need not wait for a launch.
   */
  boolean backupSlotFree(String zone) {
    for (SimHost h : hosts) {
      if (h.backup && !h.terminated && h.zone.equals(zone) && h.slots() < copiesPerBackup()) {
        return true;
      }
    }
    return false;
  }

  /** Free backup slots per zone. */
  Map<String, Integer> freeBackupSlots() {
    Map<String, Integer> out = new HashMap<>();
    for (SimHost h : hosts) {
      if (h.backup && !h.terminated) {
        out.merge(h.zone, Math.max(0, copiesPerBackup() - h.slots()), Integer::sum);
      }
    }
    return out;
  }

  /** Launches an empty backup host in {@code zone}. */
  SimHost launchBackup(String zone, boolean instant) {
    SimHost h =
        new SimHost(
            "backup-" + nextHostId++,
            null,
            zone,
            copyAssumptions.backupDiskGiB(),
            backupRatePerHour,
            now,
            instant ? now : now + config.launchSeconds());
    h.backup = true;
    hosts.add(h);
    return h;
  }

  /** Stops the standing copy of {@code a}, if any, freeing its slot on the backup. */
  void dropCopy(SimAgent a) {
    if (a.copy == null) {
      return;
    }
    a.copy.backup.copies--;
    a.copy.backup.reservedGiB -= a.build.ramGiB();
    a.copy = null;
  }

  List<SimHost> alive() {
    return hosts.stream().filter(h -> !h.terminated).toList();
  }

  void terminate(SimHost h) {
    h.terminated = true;
  }
}
