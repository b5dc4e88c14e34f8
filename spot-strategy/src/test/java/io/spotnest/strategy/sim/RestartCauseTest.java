package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.fleet.CopyDecision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 Part C: the simulator measures why each restarted build was restarted (its agent's
 * protection at the notice, or at the start of the move it was in) and prints it; the counts add up
 * to the restarted builds.
 */
class RestartCauseTest {
  private final TrueLengths lengths = new TrueLengths();

  private static final double BACKUP_RATE = 0.576 / (4.032 / 512);

  private static PoolMarket pool(int upMin) {
    int[] counts = new int[6 * 60];
    Arrays.fill(counts, 0, upMin, 1);
    return HandPool.of("hand", "us-east-1b", counts);
  }

  private static List<Build> builds(int n, double ramGiB, double minutes) {
    List<Build> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Build(i, 0, minutes, ramGiB));
    }
    return out;
  }

  /** Everything on the one pool; copies for every agent on spot when asked, nothing on a notice. */
  private static class OnePool implements Strategy {
    private final boolean copies;
    private final CopyDecision.Basis basis;
    private final long copiesFrom;

    OnePool(boolean copies, CopyDecision.Basis basis) {
      this(copies, basis, 0);
    }

    OnePool(boolean copies, CopyDecision.Basis basis, long copiesFrom) {
      this.copies = copies;
      this.basis = basis;
      this.copiesFrom = copiesFrom;
    }

    @Override
    public String name() {
      return "one pool";
    }

    @Override
    public SpotPool choosePool(BuildRequest build, SimContext ctx) {
      return ctx.pools().get(0);
    }

    @Override
    public void onTick(SimContext ctx) {
      Fleet fleet = ctx.fleet();
      if (basis != null) {
        fleet.copyDecisions = true;
      }
      for (SimAgent a : new ArrayList<>(fleet.agents)) {
        if (basis != null && a.copy == null) {
          a.copyBasis = basis;
        }
        if (copies
            && ctx.now() >= copiesFrom
            && a.copy == null
            && a.host.spot()
            && !a.host.notified
            && a.migration == null) {
          fleet.startCopy(a, false);
        }
      }
    }
  }

  @Test
  void aStrategyWithoutCopiesLosesItsBuildsForWantOfOne() {
    Simulator sim = new Simulator(SimConfig.DEFAULTS, List.of(pool(60)));
    SimResult r = sim.run(new OnePool(false, null), new Workload("five", builds(5, 64, 150)));
    assertEquals(5, r.buildsRestarted());
    assertEquals(Map.of(RestartCause.NO_COPIES, 5), r.restarts().causes());
    assertEquals(Map.of(), r.restarts().inMove());
  }

  @Test
  void aDeclinedCopyIsCountedAsDeclined() {
    Simulator sim = new Simulator(SimConfig.DEFAULTS, List.of(pool(60)));
    SimResult r =
        sim.run(
            new OnePool(false, CopyDecision.Basis.LOSS_BELOW_COST),
            new Workload("five", builds(5, 64, 150)));
    assertEquals(Map.of(RestartCause.DECLINED, 5), r.restarts().causes());
  }

  @Test
  void copiesThatNeverCaughtUpAreCountedAsSyncing() {
    // 8 streams of 128 MiB/s on one 10 Gbit/s link (953 MiB/s at 0.8): none ever gets current
    Simulator sim = new Simulator(SimConfig.DEFAULTS, List.of(pool(120)));
    SimResult r = sim.run(new OnePool(true, null), new Workload("8", builds(8, 16, 200)));
    assertEquals(8, r.buildsRestarted());
    assertEquals(Map.of(RestartCause.COPY_SYNCING, 8), r.restarts().causes());
  }

  @Test
  void aNoticeBeforeTheBackupIsReadyIsCountedAsBackupLaunching() {
    // the host is ready at 180 s, its agents ask for copies at 200 s and the backup's launch ends
    // at 380 s; the pool loses its capacity at 8 min, reclaiming within the 3-minute burst spread
    // from 300 s on, so every notice comes at 360 s or earlier
    Simulator sim = new Simulator(SimConfig.DEFAULTS, List.of(pool(8)));
    SimResult r = sim.run(new OnePool(true, null, 200), new Workload("3", builds(3, 16, 60)));
    assertEquals(3, r.buildsRestarted());
    assertEquals(Map.of(RestartCause.BACKUP_LAUNCHING, 3), r.restarts().causes());
  }

  @Test
  void aCopyStillSyncingAtTheNoticeFlushesWhenItCatchesUpInTime() {
    // no burst spread: the pool's host gets its notice at 58 min and is reclaimed at 60; one
    // 64 GiB agent's copy starts 10 s before the notice on a ready backup and needs about 80 s
    // (64 GiB of touched memory at 953 - 128 MiB/s): it is a pre-copy migration under way, so it
    // completes and flushes before the deadline (before: dropped at the notice, the build
    // restarted)
    SimConfig noSpread =
        new SimConfig(10, 180, 600, 120, 0, 4, 2, SimConfig.DEFAULTS.migration(), 42, 60, 0.01);
    Simulator sim = new Simulator(noSpread, List.of(pool(60)));
    Strategy late =
        new OnePool(false, null) {
          @Override
          public void onTick(SimContext ctx) {
            Fleet fleet = ctx.fleet();
            if (ctx.now() == 58 * 60 - 10) {
              for (SimAgent a : new ArrayList<>(fleet.agents)) {
                fleet.startCopy(a, fleet.launchBackup(a.host.zone, true));
              }
            }
          }
        };
    SimResult r = sim.run(late, new Workload("one", builds(1, 64, 150)));
    assertEquals(0, r.buildsRestarted(), r.restarts().causes().toString());
    assertEquals(1, r.flushes());
  }

  @Test
  void aMoveIntoAHostUnderNoticeIsAborted() {
    // a 16 GiB agent on an on-demand host starts moving to a spot host; the spot host gets its
    // notice before the move ends: the move is aborted and the build keeps running where it was
    // (before: it landed on the doomed host after its notice and was restarted there)
    SimConfig noSpread =
        new SimConfig(10, 180, 600, 120, 0, 4, 2, SimConfig.DEFAULTS.migration(), 42, 60, 0.01);
    Simulator sim = new Simulator(noSpread, List.of(pool(60)));
    Strategy mover =
        new OnePool(false, null) {
          @Override
          public SpotPool choosePool(BuildRequest build, SimContext ctx) {
            return null;
          }

          @Override
          public void onTick(SimContext ctx) {
            Fleet fleet = ctx.fleet();
            if (ctx.now() == 58 * 60 - 10) {
              SimHost spot = fleet.launch(ctx.pools().get(0), true);
              for (SimAgent a : new ArrayList<>(fleet.agents)) {
                fleet.migrate(a, spot, -1, false);
              }
            }
          }
        };
    SimResult r = sim.run(mover, new Workload("one", builds(1, 16, 150)));
    assertEquals(0, r.buildsRestarted(), r.restarts().causes().toString());
    assertEquals(0, r.migrations());
    assertEquals(1, r.completed());
  }

  @Test
  void theStateOfACopyAtTheNoticeIsWhatStoppedIt() {
    Fleet fleet = new Fleet(SimConfig.DEFAULTS, 512, "us-east-1b", Double.NaN, p -> true);
    fleet.lengths = new BuildLengthEstimate(lengths);
    fleet.backupRatePerHour = BACKUP_RATE;
    SimHost host = fleet.launchOnDemand(100, "us-east-1b", true);
    SimHost backup = fleet.launchBackup("us-east-1b", false);
    SimAgent a = fleet.start(lengths.add(new Build(1, 0, 60, 16)), host);
    fleet.startCopy(a, backup);
    assertEquals(RestartCause.BACKUP_LAUNCHING, Simulator.copyState(a.copy, 0));
    assertEquals(RestartCause.COPY_SYNCING, Simulator.copyState(a.copy, 200));
    a.copy.pendingMiB = 0;
    a.copy.wasCurrent = true;
    assertEquals(RestartCause.FLUSH_LATE, Simulator.copyState(a.copy, 200));
    a.copy.pendingMiB = 10;
    assertEquals(RestartCause.COPY_LAGGING, Simulator.copyState(a.copy, 200));
    fleet.now = 200;
    fleet.terminate(backup);
    assertEquals(RestartCause.BACKUP_GONE, Simulator.copyState(a.copy, 200));
  }

  @Test
  void anAgentWithoutACopyHasTheReasonOfTheLastDecision() {
    Fleet fleet = new Fleet(SimConfig.DEFAULTS, 512, "us-east-1b", Double.NaN, p -> true);
    fleet.lengths = new BuildLengthEstimate(lengths);
    SimAgent a =
        fleet.start(
            lengths.add(new Build(1, 0, 60, 16)), fleet.launchOnDemand(100, "us-east-1b", true));
    assertEquals(RestartCause.NO_COPIES, Simulator.withoutCopy(a, false, false));
    assertEquals(RestartCause.UNDECIDED, Simulator.withoutCopy(a, true, false));
    Map<CopyDecision.Basis, RestartCause> expected = new LinkedHashMap<>();
    expected.put(CopyDecision.Basis.LOSS_BELOW_COST, RestartCause.DECLINED);
    expected.put(CopyDecision.Basis.LOSS_BELOW_NEW_BACKUP, RestartCause.DECLINED_NEW_BACKUP);
    expected.put(CopyDecision.Basis.HOST_LINK_FULL, RestartCause.HOST_LINK_FULL);
    expected.put(CopyDecision.Basis.MIGRATING, RestartCause.MIGRATING);
    expected.put(CopyDecision.Basis.OFF, RestartCause.NO_COPIES);
    for (Map.Entry<CopyDecision.Basis, RestartCause> e : expected.entrySet()) {
      a.copyBasis = e.getKey();
      assertEquals(e.getValue(), Simulator.withoutCopy(a, true, false), e.getKey().name());
    }
  }

  @Test
  void theLineListsEveryCauseAndTheirSumIsTheRestartedBuilds() {
    Map<String, SimResult> results = new LinkedHashMap<>();
    results.put(
        ComparisonTable.ON_DEMAND,
        new SimResult(
            "od", 100, 100, 0, 0, 0, 0, 60, 1, 0, 0, 0, 0, 0, 0, RestartBreakdown.NONE, ""));
    RestartBreakdown b =
        new RestartBreakdown(
            Map.of(RestartCause.DECLINED, 3, RestartCause.COPY_SYNCING, 1),
            Map.of(RestartCause.Move.BURST_DRAIN, 2));
    results.put(
        ComparisonTable.OURS,
        new SimResult(ComparisonTable.OURS, 50, 10, 4, 1, 0, 0, 60, 1, 0, 0, 0, 0, 0, 0, b, ""));
    String line = new ComparisonTable().restartCauseLine(results);
    assertTrue(line.startsWith("restart_causes ("), line);
    assertTrue(line.contains(" restarted=4 declined=3 "), line);
    assertTrue(line.contains(" copy_syncing=1 "), line);
    assertTrue(line.contains(" flush_late=0 "), line);
    assertTrue(line.endsWith("| in_move_at_notice burst_drain=2 early_evacuation=0 other=0"), line);
    for (RestartCause c : RestartCause.values()) {
      assertTrue(line.contains(" " + c.key() + "="), c.key());
    }
    assertEquals(4, b.total());
  }
}
