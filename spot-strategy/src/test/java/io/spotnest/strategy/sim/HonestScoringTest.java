package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.data.CapacityTraceReader;
import io.spotnest.strategy.data.SharedTestData;
import io.spotnest.strategy.data.SpotAdvisorData;
import io.spotnest.strategy.data.SpotAdvisorReader;
import io.spotnest.strategy.risk.HazardParameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 12 item 5 and the n/a ratio of item 3: what the summary counts and prints. */
class HonestScoringTest {
  private static final SpotAdvisorData ADVISOR =
      new SpotAdvisorReader().read(SharedTestData.advisor());

  private static Simulator simulator(String zone) {
    return new Simulator(
        SimConfig.DEFAULTS,
        List.of(
            new MarketBuilder(ADVISOR, HazardParameters.DEFAULTS, 42)
                .build(new CapacityTraceReader().read(SharedTestData.aws(zone)))));
  }

  /** Always asks for the one spot pool. */
  private static final class AlwaysSpot implements Strategy {
    @Override
    public String name() {
      return "always spot";
    }

    @Override
    public SpotPool choosePool(BuildRequest build, SimContext ctx) {
      return ctx.pools().get(0);
    }
  }

  @Test
  void aBuildReclaimedManyTimesCountsAsOneRestartedBuild() {
    // two instances, one of them reclaimed every hour: a 5-hour build on spot is hit again and
    // again
    int[] counts = new int[24 * 60];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = i % 60 < 50 ? 2 : 1;
    }
    SimConfig d = SimConfig.DEFAULTS;
    SimConfig noSpread =
        new SimConfig(
            d.tickSeconds(),
            d.launchSeconds(),
            d.idleSeconds(),
            d.noticeSeconds(),
            0,
            d.hostOverheadGiB(),
            d.maxMigrationsPerSource(),
            d.migration(),
            d.seed(),
            d.failedLaunchSeconds(),
            d.crossZoneUsdPerGBEachWay());
    Simulator sim = new Simulator(noSpread, List.of(HandPool.of("hourly", "us-east-1b", counts)));
    SimResult r =
        sim.run(
            new AlwaysSpot(), new Workload("one long build", List.of(new Build(0, 0, 300, 16))));
    assertTrue(r.buildHoursLost() > 1.5, "hit in several hours: " + r.buildHoursLost() + " h lost");
    assertEquals(1, r.buildsRestarted(), "distinct builds, not restart events");
  }

  @Test
  void aBuildUnfinishedAtTheEndIsBilledForItsRestOnOnDemand() {
    Simulator sim = simulator("us-east-1d");
    double traceMin = sim.lengthSeconds() / 60.0;
    Build longer = new Build(0, traceMin - 60, 180, 16);
    SimResult r = sim.run(new OnDemandOnly(), new Workload("cut off", List.of(longer)));
    assertEquals(1, r.incomplete());
    SimResult done =
        sim.run(new OnDemandOnly(), new Workload("fits", List.of(new Build(0, 0, 180, 16))));
    assertEquals(0, done.incomplete());
    assertEquals(
        done.cost(),
        r.cost(),
        done.cost() * 0.1,
        "the unfinished build's remaining 2 hours are billed as if finished on on-demand");
  }

  @Test
  void aBuildArrivingAfterTheEndOfTheRunIsNotBilled() {
    Simulator sim = simulator("us-east-1d");
    double traceMin = sim.lengthSeconds() / 60.0;
    Build inside = new Build(0, 0, 180, 16);
    Build after = new Build(1, traceMin + 60, 180, 16);
    SimResult alone = sim.run(new OnDemandOnly(), new Workload("inside", List.of(inside)));
    SimResult withLater =
        sim.run(new OnDemandOnly(), new Workload("and one after", List.of(inside, after)));
    assertEquals(
        alone.cost(),
        withLater.cost(),
        1e-9,
        "a build that arrives after the run is no work of the run (saving % would be diluted)");
    assertEquals(0, withLater.incomplete());
  }

  private static SimResult result(String name, double cost) {
    return new SimResult(
        name, cost, 0, 0, 0, 0, 0, 60, 1, 0, 0, 0, 0, 0, 0, RestartBreakdown.NONE, "");
  }

  @Test
  void theRatioIsNotApplicableWhereTheOracleSavesAboutNothing() {
    Map<String, SimResult> r = new LinkedHashMap<>();
    r.put(ComparisonTable.ON_DEMAND, result(ComparisonTable.ON_DEMAND, 1000));
    r.put(ComparisonTable.OURS, result(ComparisonTable.OURS, 1100));
    r.put(ComparisonTable.ORACLE, result(ComparisonTable.ORACLE, 995));
    String line = new ComparisonTable().summaryLine(r);
    assertTrue(line.contains(" oracle_ratio_pct=n/a "), line);
    assertTrue(line.startsWith("simulate: saving_vs_ondemand_pct=-10.0 "), line);
    r.put(ComparisonTable.ORACLE, result(ComparisonTable.ORACLE, 500));
    line = new ComparisonTable().summaryLine(r);
    assertTrue(line.contains(" oracle_ratio_pct=-20.0 "), line);
    r.put(ComparisonTable.ON_DEMAND, result(ComparisonTable.ON_DEMAND, 0));
    line = new ComparisonTable().summaryLine(r);
    assertTrue(
        line.matches(
            "simulate: saving_vs_ondemand_pct=n/a oracle_ratio_pct=n/a builds_restarted=0 "
                + "deadline_misses=0 migrations=0"),
        line);
  }
}
