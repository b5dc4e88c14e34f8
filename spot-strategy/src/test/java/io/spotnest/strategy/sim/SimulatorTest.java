package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.CapacityTraceReader;
import io.spotnest.strategy.data.SharedTestData;
import io.spotnest.strategy.data.SpotAdvisorData;
import io.spotnest.strategy.data.SpotAdvisorReader;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.HazardParameters;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorTest {
  private static final SpotAdvisorData ADVISOR =
      new SpotAdvisorReader().read(SharedTestData.advisor());

  private static Simulator simulator(Path... traces) {
    MarketBuilder b = new MarketBuilder(ADVISOR, HazardParameters.DEFAULTS, 42);
    return new Simulator(
        SimConfig.DEFAULTS,
        List.of(traces).stream().map(p -> b.build(new CapacityTraceReader().read(p))).toList());
  }

  private static Workload workload(Simulator sim) {
    return new WorkloadGenerator()
        .generate(
            42, 12, sim.lengthSeconds() / 60.0 - 240, Math.min(64, sim.smallestUsableHostGiB()));
  }

  @Test
  void invariantsOnARealReclaimingTrace() {
    Simulator sim = simulator(SharedTestData.aws("us-east-1d"));
    Workload w = workload(sim);
    Map<String, SimResult> r = sim.compare(w, HazardParameters.DEFAULTS, PolicyParameters.DEFAULTS);
    double base = r.get(ComparisonTable.ON_DEMAND).cost();
    SimResult od = r.get(ComparisonTable.ON_DEMAND);
    assertEquals(0.0, od.savingPct(base));
    assertEquals(0, od.buildsRestarted());
    assertEquals(0, od.migrations());
    SimResult oracle = r.get(ComparisonTable.ORACLE);
    assertEquals(0, oracle.buildsRestarted());
    assertEquals(0, oracle.deadlineMisses());
    for (SimResult s : r.values()) {
      assertTrue(oracle.cost() <= s.cost(), s.strategy() + " beats the oracle");
      assertEquals(
          w.builds().size(),
          s.completed() + s.incomplete(),
          s.strategy() + " lost track of builds");
      assertTrue(s.onDemandCost() <= s.cost() + 1e-6);
    }
    assertTrue(
        r.get("spot + restart").buildsRestarted() > 0, "the trace reclaims, restarts must happen");
    assertTrue(r.get("spot + restart").savingPct(base) > 0);
    assertTrue(
        r.get(ComparisonTable.OURS).buildsRestarted() < r.get("spot + restart").buildsRestarted());
  }

  @Test
  void oursNeverRestartsOnATraceWithoutReclamations() {
    // gcp us-central1-a has no reclamation; the generated process at the assumed bucket's rate
    // yields none in 45 h.
    Simulator sim = simulator(SharedTestData.gcp("us-central1-a"));
    assertTrue(sim.pools().get(0).generatedReclamations());
    Map<String, SimResult> r =
        sim.compare(workload(sim), HazardParameters.DEFAULTS, PolicyParameters.DEFAULTS);
    SimResult ours = r.get(ComparisonTable.OURS);
    assertEquals(0, ours.buildsRestarted());
    assertEquals(0, ours.deadlineMisses());
    assertTrue(ComparisonTable.oracleRatioPct(r) >= 85, new ComparisonTable().format(r));
    String line = new ComparisonTable().summaryLine(r);
    assertTrue(
        line.matches(
            "simulate: saving_vs_ondemand_pct=-?\\d+\\.\\d oracle_ratio_pct=-?\\d+\\.\\d "
                + "builds_restarted=\\d+ deadline_misses=\\d+ migrations=\\d+"),
        line);
  }

  @Test
  void rejectsBuildsLargerThanAnyHost() {
    Simulator sim = simulator(SharedTestData.aws("us-east-1d"));
    Workload huge = new Workload("huge", List.of(new Build(0, 0, 30, 2048)));
    assertThrows(IllegalArgumentException.class, () -> sim.run(new OnDemandOnly(), huge));
  }

  @Test
  void noticeOnlyMigrationMissesDeadlinesOnBigHosts() {
    Simulator sim = simulator(SharedTestData.aws("us-east-1d"));
    SimResult r = sim.run(new SpotNoticeMigrate(), workload(sim));
    assertTrue(
        r.deadlineMisses() > 0,
        "a 2-minute notice cannot drain a packed 512 GiB host over 10 Gbit/s");
    assertTrue(r.migrations() > 0);
  }

  @Test
  void unknownInstanceTypeIsRejectedClearly() {
    CapacityTrace t =
        new CapacityTraceReader()
            .read(
                SharedTestData.aws("us-east-1d"),
                new io.spotnest.strategy.signal.PoolId("x9.huge", "us-east-1d"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new MarketBuilder(ADVISOR, HazardParameters.DEFAULTS, 1).build(t));
    assertTrue(e.getMessage().contains("x9.huge"));
  }
}
