package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.fleet.CopyMode;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.policy.StandingCopyAssumptions;
import io.spotnest.strategy.risk.HazardParameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 Part C: the simulator models standing copies with their costs (a backup host billed per
 * hour, the stream's traffic, cross-zone transfer) and their limits (a lagging copy, a full
 * backup); with a current copy a 2-minute notice only needs the flush.
 */
class StandingCopySimTest {
  private final TrueLengths lengths = new TrueLengths();

  /** r5.16xlarge on demand: $4.032/h for 512 GiB; a backup (r5d.2xlarge) $0.576/h. */
  private static final double BACKUP_RATE = 0.576 / (4.032 / 512);

  /** A pool with capacity for {@code upMin} minutes, then none (one drop), over 6 hours. */
  private static PoolMarket pool(String zone, int upMin) {
    int[] counts = new int[6 * 60];
    Arrays.fill(counts, 0, Math.min(upMin, counts.length), 1);
    return HandPool.of("hand-" + zone, zone, counts);
  }

  /**
   * Places every build on the first pool; with {@code copies} gives each agent on spot a standing
   * copy on a backup in {@code backupZone} (the agent's own zone when null) as soon as it runs.
   * Does nothing on a notice, so only a copy can save a build.
   */
  private static final class SpotWithCopies implements Strategy {
    private final boolean copies;
    private final String backupZone;
    final List<SimHost> backups = new ArrayList<>();

    SpotWithCopies(boolean copies, String backupZone) {
      this.copies = copies;
      this.backupZone = backupZone;
    }

    @Override
    public String name() {
      return copies ? "spot with copies" : "spot";
    }

    @Override
    public SpotPool choosePool(BuildRequest build, SimContext ctx) {
      return ctx.pools().get(0);
    }

    @Override
    public void onTick(SimContext ctx) {
      if (!copies) {
        return;
      }
      Fleet fleet = ctx.fleet();
      for (SimAgent a : new ArrayList<>(fleet.agents)) {
        if (a.copy != null || !a.host.spot() || a.host.notified || a.migration != null) {
          continue;
        }
        if (backupZone == null) {
          fleet.startCopy(a, false);
          if (!backups.contains(a.copy.backup)) {
            backups.add(a.copy.backup);
          }
        } else {
          SimHost b =
              backups.stream()
                  .filter(x -> x.slots() < fleet.copiesPerBackup())
                  .findFirst()
                  .orElseGet(
                      () -> {
                        SimHost n = fleet.launchBackup(backupZone, false);
                        backups.add(n);
                        return n;
                      });
          fleet.startCopy(a, b);
        }
      }
    }
  }

  private static List<Build> builds(int n, double ramGiB, double minutes) {
    List<Build> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Build(i, 0, minutes, ramGiB));
    }
    return out;
  }

  @Test
  void aCurrentCopySavesTheBuildsOfAHostTheNoticeCouldNotDrain() {
    // 5 agents of 64 GiB (320 GiB): two streams move about 75 GiB in a 2-minute notice; the copies
    // sync in about 17 minutes (953 MiB/s of link less 5 x 128 MiB/s of dirtying)
    Simulator sim = new Simulator(SimConfig.DEFAULTS, List.of(pool("us-east-1b", 60)));
    Workload w = new Workload("five", builds(5, 64, 150));
    SimResult without = sim.run(new SpotWithCopies(false, null), w);
    SimResult with = sim.run(new SpotWithCopies(true, null), w);
    assertEquals(5, without.buildsRestarted(), "without copies every build restarts");
    assertEquals(0, with.buildsRestarted(), "with current copies none does");
    assertEquals(5, with.flushes());
    assertEquals(5, with.completed());
    assertTrue(with.migrations() >= 10, "5 flushes and 5 moves on: " + with.migrations());
  }

  @Test
  void aCopyCostsItsBackupHostByTheHourAndItsStreamSendsTheDirtyRate() {
    Simulator sim = new Simulator(SimConfig.DEFAULTS, List.of(pool("us-east-1b", 6 * 60)));
    Workload w = new Workload("one", builds(1, 16, 60));
    SimResult without = sim.run(new SpotWithCopies(false, null), w);
    SimResult with = sim.run(new SpotWithCopies(true, null), w);
    // the backup is requested with the agent (0 s) and released 600 s after the build ends
    // (3770 s, an hour after its host was ready): 4360 s
    assertEquals(BACKUP_RATE * 4360 / 3600, with.cost() - without.cost(), 0.25);
    assertEquals(0, with.crossZoneGiB());
    // the memory the guest has touched (never-touched pages go as zero-page markers), then
    // 128 MiB/s from the backup's readiness (180 s) to the build's end
    double expected = 128.0 * (3770 - 180 + 10) / 1024;
    assertEquals(expected, with.copyGiB(), 0.02 * expected);
  }

  @Test
  void aCrossZoneCopyPaysItsTrafficBothWaysAndOneInTheZoneIsFree() {
    List<PoolMarket> pools = List.of(pool("us-east-1b", 6 * 60), pool("us-east-1c", 6 * 60));
    Simulator sim = new Simulator(SimConfig.DEFAULTS, pools);
    Workload w = new Workload("one", builds(1, 16, 60));
    SimResult same = sim.run(new SpotWithCopies(true, "us-east-1b"), w);
    SimResult cross = sim.run(new SpotWithCopies(true, "us-east-1c"), w);
    assertEquals(0, same.crossZoneGiB());
    assertEquals(cross.copyGiB(), cross.crossZoneGiB(), 1e-9);
    double perGiB = 2 * 0.01 * 1.073741824 / (4.032 / 512);
    assertEquals(cross.crossZoneGiB() * perGiB, cross.cost() - same.cost(), 1e-6);
  }

  @Test
  void aCopyThatLagsBehindProtectsNothing() {
    // 8 streams of 128 MiB/s on one 10 Gbit/s link (953 MiB/s at 0.8): each gets 119 MiB/s
    Simulator sim = new Simulator(SimConfig.DEFAULTS, List.of(pool("us-east-1b", 120)));
    SimResult r = sim.run(new SpotWithCopies(true, null), new Workload("8", builds(8, 16, 200)));
    assertEquals(8, r.buildsRestarted());
    assertEquals(0, r.flushes());
    assertEquals(7, StandingCopyAssumptions.DEFAULTS.copiesPerHost(SimConfig.DEFAULTS.migration()));
  }

  @Test
  void onARealSmallHostPoolCopiesCutRestartsAndTheOracleWithCopiesStaysTheBound() {
    SimConfig config = SimConfig.DEFAULTS;
    Simulator v100 = SmallV100Pool.simulator(config);
    Workload w = SmallV100Pool.workload(v100);
    SimResult none = v100.run(ours(v100, CopyMode.OFF), w);
    SimResult always = v100.run(ours(v100, CopyMode.ALWAYS), w);
    assertTrue(
        always.buildsRestarted() * 3 < none.buildsRestarted(),
        "copies: " + always.buildsRestarted() + " restarts, none: " + none.buildsRestarted());
    assertTrue(always.flushes() > 0 && always.copyGiB() > 0);
    // the measured causes account for every restarted build; ALWAYS declines no copy, OFF has none
    assertEquals(always.buildsRestarted(), always.restarts().total());
    assertEquals(none.buildsRestarted(), none.restarts().total());
    assertEquals(0, always.restarts().count(RestartCause.DECLINED));
    assertEquals(
        none.buildsRestarted(),
        none.restarts().count(RestartCause.NO_COPIES)
            + none.restarts().count(RestartCause.AFTER_NOTICE));
    MigrationPolicy policy = new MigrationPolicy(PolicyParameters.DEFAULTS, v100.estimator());
    SimResult copying = v100.run(new Oracle(policy, Oracle.Plan.COPY), w);
    assertTrue(copying.flushes() > 0, "the oracle uses copies too");
    SimResult oracle =
        v100.compare(w, HazardParameters.DEFAULTS, PolicyParameters.DEFAULTS)
            .get(ComparisonTable.ORACLE);
    assertEquals(0, oracle.buildsRestarted());
    assertTrue(oracle.cost() <= always.cost() + always.lostRunCost());
  }

  private static RiskAware ours(Simulator sim, CopyMode copies) {
    return new RiskAware(
        HazardParameters.DEFAULTS,
        PolicyParameters.DEFAULTS,
        sim.estimator(),
        SimConfig.DEFAULTS,
        new OursOptions(OursOptions.SpareMode.HAZARD, true, copies));
  }

  @Test
  void aFullBackupTakesNoMoreCopies() {
    Fleet fleet = new Fleet(SimConfig.DEFAULTS, 512, "us-east-1b", Double.NaN, p -> true);
    fleet.lengths = new BuildLengthEstimate(lengths);
    fleet.backupRatePerHour = BACKUP_RATE;
    SimHost host = fleet.launchOnDemand(500, "us-east-1b", true);
    SimHost backup = fleet.launchBackup("us-east-1b", true);
    assertEquals(7, fleet.copiesPerBackup(), "30 s of 3.5 s flushes, and the link's 7 streams");
    List<SimAgent> agents = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      agents.add(fleet.start(lengths.add(new Build(i, 0, 60, 8)), host));
    }
    for (int i = 0; i < 7; i++) {
      fleet.startCopy(agents.get(i), backup);
    }
    assertThrows(IllegalStateException.class, () -> fleet.startCopy(agents.get(7), backup));
    fleet.startCopy(agents.get(7), true);
    assertTrue(agents.get(7).copy.backup != backup, "a second backup is launched");
    // disk: 279 GiB of copy memory
    Fleet big = new Fleet(SimConfig.DEFAULTS, 512, "us-east-1b", Double.NaN, p -> true);
    big.lengths = new BuildLengthEstimate(lengths);
    big.backupRatePerHour = BACKUP_RATE;
    SimHost h = big.launchOnDemand(500, "us-east-1b", true);
    SimHost b = big.launchBackup("us-east-1b", true);
    for (int i = 0; i < 4; i++) {
      big.startCopy(big.start(lengths.add(new Build(i, 0, 60, 64)), h), b);
    }
    SimAgent fifth = big.start(lengths.add(new Build(4, 0, 60, 64)), h);
    assertThrows(IllegalStateException.class, () -> big.startCopy(fifth, b));
  }
}
