package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.fleet.CopyMode;
import io.spotnest.strategy.fleet.CopyRequest;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.signal.PoolId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 Part C: as in the orchestrator (a template's standing-copy box, journaled with the
 * agent), only the builds that asked for a standing copy get one in the modes OFF to ALWAYS; {@code
 * AT_RISK} also decides for the builds that did not ask, and a build that refused never gets one.
 */
class CopyWishTest {
  private final TrueLengths lengths = new TrueLengths();

  @Test
  void theRuleMarksTheBuildsLongerThanItsThresholdAsAsking() {
    Workload w =
        new Workload(
            "three",
            List.of(new Build(0, 0, 30, 8), new Build(1, 1, 60, 8), new Build(2, 2, 61, 8)));
    List<Build> b = w.withCopyWish(CopyWish.parse("long:60")).builds();
    assertEquals(List.of(false, false, true), b.stream().map(Build::standingCopy).toList());
    assertTrue(
        w.withCopyWish(CopyWish.parse("all")).builds().stream().allMatch(Build::standingCopy));
    assertTrue(
        w.withCopyWish(CopyWish.parse("none")).builds().stream().noneMatch(Build::standingCopy));
    assertTrue(
        w.withCopyWish(CopyWish.parse("long:60"))
            .description()
            .contains("1 of 3 builds ask for a standing copy"),
        w.withCopyWish(CopyWish.parse("long:60")).description());
    assertEquals("long:60", CopyWish.DEFAULT.toString());
    assertEquals("all", CopyWish.parse("ALL").toString());
    assertEquals("long:45.5", CopyWish.parse("long:45.5").toString());
  }

  @Test
  void aBadRuleIsRefused() {
    for (String bad :
        List.of("", "some", "long", "long:", "long:-1", "long:abc", "long:NaN", "long:Infinity")) {
      assertThrows(IllegalArgumentException.class, () -> CopyWish.parse(bad), bad);
    }
  }

  @Test
  void aBuildThatDidNotAskCannotGetACopyByConstruction() {
    Fleet fleet = new Fleet(SimConfig.DEFAULTS, 512, "us-east-1b", Double.NaN, p -> true);
    fleet.lengths = new BuildLengthEstimate(lengths);
    fleet.backupRatePerHour = 73.1;
    SimHost host = fleet.launchOnDemand(500, "us-east-1b", true);
    SimHost backup = fleet.launchBackup("us-east-1b", true);
    SimAgent asked = fleet.start(lengths.add(new Build(0, 0, 60, 8, true)), host);
    SimAgent not = fleet.start(lengths.add(new Build(1, 0, 60, 8, false)), host);
    fleet.startCopy(asked, backup);
    assertThrows(IllegalStateException.class, () -> fleet.startCopy(not, backup));
    assertEquals(null, not.copy);
  }

  @Test
  void theAgentCapOfAlwaysCountsOnlyTheAgentsThatAsked() {
    PoolMarket market =
        new PoolMarket(
            new CapacityTrace(
                "hand",
                new PoolId("r5.16xlarge", "us-east-1b"),
                Instant.parse("2023-04-19T00:00:00Z"),
                60,
                new int[] {1, 1, 1}),
            0.3,
            512,
            Optional.empty(),
            "test",
            false);
    SpotPool pool = new SpotPool(market, () -> 0);
    Fleet fleet = new Fleet(SimConfig.DEFAULTS, 512, "us-east-1b", Double.NaN, p -> true);
    fleet.lengths = new BuildLengthEstimate(lengths);
    fleet.spotHostAgentCap = 1;
    assertTrue(fleet.place(lengths.add(new Build(0, 0, 60, 8, true)), pool, true));
    assertTrue(fleet.place(lengths.add(new Build(1, 0, 60, 8, false)), pool, true));
    assertEquals(1, fleet.alive().size(), "a build that asked no copy takes no copy stream");
    assertTrue(fleet.place(lengths.add(new Build(2, 0, 60, 8, true)), pool, true));
    assertEquals(2, fleet.alive().size(), "the host link's streams are taken: a new host");
  }

  @Test
  void oursAndTheOracleCopyOnlyTheBuildsThatAsked() {
    Simulator v100 = SmallV100Pool.simulator(SimConfig.DEFAULTS);
    Workload w = SmallV100Pool.workload(v100);
    // ALWAYS: every agent on spot that asked; a start for one that did not would throw
    SimResult longOnly = v100.run(ours(v100), w.withCopyWish(CopyWish.parse("long:60")));
    SimResult none = v100.run(ours(v100), w.withCopyWish(CopyWish.parse("none")));
    assertTrue(longOnly.flushes() > 0, "the long builds got copies");
    assertEquals(0, none.flushes());
    assertEquals(0, none.copyGiB());
    assertEquals(0, none.restarts().count(RestartCause.DECLINED));
    assertEquals(0, none.restarts().count(RestartCause.HOST_LINK_FULL));
    assertTrue(none.restarts().count(RestartCause.NOT_ASKED) > 0);
    MigrationPolicy policy = new MigrationPolicy(PolicyParameters.DEFAULTS, v100.estimator());
    SimResult oracle =
        v100.run(new Oracle(policy, Oracle.Plan.COPY), w.withCopyWish(CopyWish.parse("none")));
    assertEquals(0, oracle.flushes(), "the oracle may not copy a build that did not ask");
    assertFalse(
        v100.run(new Oracle(policy, Oracle.Plan.COPY), w.withCopyWish(CopyWish.parse("all")))
                .flushes()
            == 0,
        "with every build asking the oracle still copies");
  }

  @Test
  void noneMeansEveryBuildRefusesAndLongLeavesTheShortOnesToTheFleet() {
    Workload w = new Workload("two", List.of(new Build(0, 0, 30, 8), new Build(1, 1, 90, 8)));
    assertEquals(
        List.of(CopyRequest.UNSET, CopyRequest.ASKED),
        w.withCopyWish(CopyWish.DEFAULT).builds().stream().map(Build::copy).toList());
    assertTrue(
        w.withCopyWish(CopyWish.NONE).builds().stream()
            .allMatch(b -> b.copy() == CopyRequest.REFUSED));
  }

  @Test
  void aFleetCopyingUnaskedBuildsMayCopyOneThatLeftItToTheFleetNeverOneThatRefused() {
    Fleet fleet = new Fleet(SimConfig.DEFAULTS, 512, "us-east-1b", Double.NaN, p -> true);
    fleet.lengths = new BuildLengthEstimate(lengths);
    fleet.backupRatePerHour = 73.1;
    SimHost host = fleet.launchOnDemand(500, "us-east-1b", true);
    SimHost backup = fleet.launchBackup("us-east-1b", true);
    SimAgent unset = fleet.start(lengths.add(new Build(0, 0, 60, 8, CopyRequest.UNSET)), host);
    SimAgent refused = fleet.start(lengths.add(new Build(1, 0, 60, 8, CopyRequest.REFUSED)), host);
    assertThrows(IllegalStateException.class, () -> fleet.startCopy(unset, backup));
    fleet.copiesUnasked = true;
    fleet.startCopy(unset, backup);
    assertTrue(unset.copy != null);
    assertThrows(IllegalStateException.class, () -> fleet.startCopy(refused, backup));
  }

  @Test
  void atRiskCopiesBuildsThatDidNotAskWhereTheyPayButNoneThatRefused() {
    Simulator v100 = SmallV100Pool.simulator(SimConfig.DEFAULTS);
    Workload w = SmallV100Pool.workload(v100);
    SimResult hazard = v100.run(ours(v100, CopyMode.HAZARD), w.withCopyWish(CopyWish.DEFAULT));
    SimResult atRisk = v100.run(ours(v100, CopyMode.AT_RISK), w.withCopyWish(CopyWish.DEFAULT));
    assertTrue(hazard.restarts().count(RestartCause.NOT_ASKED) > 0);
    assertEquals(
        0,
        atRisk.restarts().count(RestartCause.NOT_ASKED),
        "every build that did not ask was decided by the plan: " + atRisk.restarts());
    assertTrue(
        atRisk.copyGiB() > hazard.copyGiB(),
        "builds that did not ask got copies: " + atRisk.copyGiB() + " vs " + hazard.copyGiB());
    SimResult refused = v100.run(ours(v100, CopyMode.AT_RISK), w.withCopyWish(CopyWish.NONE));
    assertEquals(0, refused.flushes());
    assertEquals(0, refused.copyGiB());
    assertTrue(refused.restarts().count(RestartCause.NOT_ASKED) > 0);
    // the oracle may copy what ours may: nothing of builds that left it to the fleet unless ours
    // copies them too
    MigrationPolicy policy = new MigrationPolicy(PolicyParameters.DEFAULTS, v100.estimator());
    Workload unasked = w.withCopyWish(CopyWish.parse("long:100000"));
    assertEquals(0, v100.run(new Oracle(policy, Oracle.Plan.COPY, false), unasked).flushes());
    assertTrue(v100.run(new Oracle(policy, Oracle.Plan.COPY, true), unasked).flushes() > 0);
    assertEquals(
        0,
        v100.run(new Oracle(policy, Oracle.Plan.COPY, true), w.withCopyWish(CopyWish.NONE))
            .flushes());
  }

  private static RiskAware ours(Simulator sim) {
    return ours(sim, CopyMode.ALWAYS);
  }

  private static RiskAware ours(Simulator sim, CopyMode mode) {
    return new RiskAware(
        HazardParameters.DEFAULTS,
        PolicyParameters.DEFAULTS,
        sim.estimator(),
        SimConfig.DEFAULTS,
        new OursOptions(OursOptions.SpareMode.HAZARD, true, mode));
  }
}
