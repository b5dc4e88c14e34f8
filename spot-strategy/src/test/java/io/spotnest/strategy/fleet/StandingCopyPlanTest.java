package io.spotnest.strategy.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.policy.MigrationAssumptions;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.ExponentialHazard;
import io.spotnest.strategy.signal.PoolId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Issue 12 Part C: which agents on spot keep a standing copy, through the public fleet API. */
class StandingCopyPlanTest {
  private static final Instant NOW = Instant.parse("2023-04-19T10:00:00Z");
  private static final PoolId POOL = new PoolId("r5.16xlarge", "us-east-1b");
  private static final ExponentialHazard CALM = new ExponentialHazard(0.001, 0, 1, 10, 0, 1, -1);
  private static final ExponentialHazard STORMY = new ExponentialHazard(2, 0, 1, 10, 0, 1, -1);
  private static final MigrationPolicy POLICY =
      new MigrationPolicy(
          PolicyParameters.DEFAULTS,
          new ParametricMigrationEstimator(MigrationAssumptions.DEFAULTS));

  /** r5.16xlarge cost units: a backup at $0.576/h shared by 7 copies. */
  private static final double COPY_COST = 0.576 / (4.032 / 512) / 7;

  private static AgentView agent(String id, double ram, Duration elapsed) {
    return new AgentView(id, ram, false, elapsed, Duration.ofHours(1), elapsed);
  }

  private static HostView host(String id, Optional<PoolId> pool, List<AgentView> agents) {
    double used = agents.stream().mapToDouble(AgentView::ramGiB).sum();
    return new HostView(
        id, pool, "us-east-1b", 508, used, NOW, false, false, false, false, NOW, agents);
  }

  private static Map<String, Boolean> keep(
      CopyMode mode, int perHost, ExponentialHazard hazard, List<HostView> fleet) {
    return new StandingCopyPlan(POLICY, mode, COPY_COST, perHost)
        .decide(fleet, List.of(new PoolOffer(POOL, 0.24, hazard, true)), NOW).stream()
            .collect(Collectors.toMap(CopyDecision::agentId, CopyDecision::keep));
  }

  @Test
  void anOldBigBuildOnAStormyPoolGetsACopyAFreshSmallOneOrACalmPoolDoesNot() {
    List<HostView> fleet =
        List.of(
            host(
                "s",
                Optional.of(POOL),
                List.of(agent("old", 64, Duration.ofHours(2)), agent("fresh", 8, Duration.ZERO))));
    Map<String, Boolean> stormy = keep(CopyMode.HAZARD, 7, STORMY, fleet);
    assertTrue(stormy.get("old"));
    assertFalse(stormy.get("fresh"), "8 GiB x 0.5 restart penalty is worth less than a copy-hour");
    Map<String, Boolean> calm = keep(CopyMode.HAZARD, 7, CALM, fleet);
    assertFalse(calm.get("old"));
    assertFalse(calm.get("fresh"));
  }

  @Test
  void alwaysGivesEveryAgentOnSpotACopyOffNoneAndOnDemandAgentsAreNotAsked() {
    List<HostView> fleet =
        List.of(
            host("s", Optional.of(POOL), List.of(agent("a", 8, Duration.ZERO))),
            host("od", Optional.empty(), List.of(agent("b", 64, Duration.ofHours(3)))));
    assertEquals(Map.of("a", true), keep(CopyMode.ALWAYS, 7, CALM, fleet));
    assertEquals(Map.of("a", false), keep(CopyMode.OFF, 7, STORMY, fleet));
  }

  @Test
  void onlyTheAgentsThatAskedAreDecidedAndTheOthersTakeNoStreamOfTheHostLink() {
    List<AgentView> agents = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      agents.add(agent("a" + i, 8, Duration.ofHours(i)));
    }
    List<HostView> fleet = List.of(host("s", Optional.of(POOL), agents));
    List<HostView> asking =
        StandingCopyPlan.onlyAsking(fleet, id -> id.equals("a0") || id.equals("a1"));
    assertEquals(Map.of("a0", true, "a1", true), keep(CopyMode.ALWAYS, 1 + 1, CALM, asking));
    assertEquals(fleet.get(0).usedGiB(), asking.get(0).usedGiB(), "the host stays as full");
    assertEquals(
        Map.of(), keep(CopyMode.ALWAYS, 7, CALM, StandingCopyPlan.onlyAsking(fleet, id -> false)));
  }

  @Test
  void atRiskShowsTheAgentsThatDidNotAskTooAndKeepsTheirCopyOnlyWhereTheLossPaysForIt() {
    List<HostView> fleet =
        List.of(
            host(
                "s",
                Optional.of(POOL),
                List.of(
                    agent("asked", 64, Duration.ofHours(2)),
                    agent("unset", 64, Duration.ofHours(2)))));
    for (CopyMode m : CopyMode.values()) {
      assertEquals(m == CopyMode.AT_RISK, m.copiesUnasked(), m.name());
    }
    CopyMode mode = CopyMode.AT_RISK;
    List<HostView> shown =
        StandingCopyPlan.onlyAsking(fleet, id -> id.equals("asked") || mode.copiesUnasked());
    assertEquals(Map.of("asked", true, "unset", true), keep(mode, 7, STORMY, shown));
    assertEquals(Map.of("asked", false, "unset", false), keep(mode, 7, CALM, shown));
    assertEquals(
        Map.of("asked", true),
        keep(
            CopyMode.HAZARD,
            7,
            STORMY,
            StandingCopyPlan.onlyAsking(fleet, id -> id.equals("asked"))));
  }

  @Test
  void affordableCopiesEveryAgentWhoseCopyCostsLessThanItsSpotSavingEvenOnACalmPool() {
    // COPY_COST is about 10.4 cost units per hour; at spot = 0.24 x on-demand a 16 GiB agent saves
    // 12.2 per hour, an 8 GiB one 6.1
    List<HostView> fleet =
        List.of(
            host(
                "s",
                Optional.of(POOL),
                List.of(agent("sixteen", 16, Duration.ZERO), agent("eight", 8, Duration.ZERO))));
    Map<String, Boolean> calm = keep(CopyMode.AFFORDABLE, 7, CALM, fleet);
    assertEquals(Map.of("sixteen", true, "eight", false), calm);
    assertEquals(Map.of("sixteen", false, "eight", false), keep(CopyMode.HAZARD, 7, CALM, fleet));
    // the affordable copy is not refused for needing a new backup; the basis says why it is kept
    List<CopyDecision> d =
        new StandingCopyPlan(POLICY, CopyMode.AFFORDABLE, COPY_COST, 7)
            .decide(
                fleet,
                List.of(new PoolOffer(POOL, 0.24, CALM, true)),
                NOW,
                id -> false,
                Map.of(),
                7 * COPY_COST,
                7);
    assertEquals(CopyDecision.Basis.AFFORDABLE, d.get(0).basis());
    assertTrue(d.get(0).keep());
    assertEquals(CopyDecision.Basis.LOSS_BELOW_COST, d.get(1).basis());
  }

  @Test
  void aHostLinkKeepsUpWithFewStreamsTheAgentsWithMostToLoseKeepThem() {
    List<AgentView> agents = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      agents.add(agent("a" + i, 32, Duration.ofMinutes(30 * (i + 1))));
    }
    Map<String, Boolean> kept =
        keep(CopyMode.ALWAYS, 3, STORMY, List.of(host("s", Optional.of(POOL), agents)));
    assertEquals(Map.of("a0", false, "a1", false, "a2", true, "a3", true, "a4", true), kept);
  }

  @Test
  void atMarginalCostALoneCopyNeedingANewBackupMustPayForAllOfIt() {
    List<HostView> fleet =
        List.of(host("s", Optional.of(POOL), List.of(agent("old", 64, Duration.ofHours(2)))));
    StandingCopyPlan plan = new StandingCopyPlan(POLICY, CopyMode.HAZARD, COPY_COST, 7);
    List<PoolOffer> pools = List.of(new PoolOffer(POOL, 0.24, STORMY, true));
    double backup = 7 * COPY_COST;
    // its expected loss per hour (64 GiB x 2.5 h x P ~ 0.87, about 139) beats a share, not 20
    // backups
    assertTrue(
        plan.decide(fleet, pools, NOW, id -> false, Map.of("us-east-1b", 1), 20 * backup, 7)
            .get(0)
            .keep(),
        "a free slot: the share is the cost");
    assertFalse(
        plan.decide(fleet, pools, NOW, id -> false, Map.of(), 20 * backup, 7).get(0).keep(),
        "no free slot: a whole new backup is the cost");
    assertTrue(
        plan.decide(fleet, pools, NOW, id -> true, Map.of(), 20 * backup, 7).get(0).keep(),
        "a copy it holds already keeps its slot");
    assertTrue(
        plan.decide(fleet, pools, NOW, id -> false, Map.of(), backup, 7).get(0).keep(),
        "a new backup worth it alone");
  }

  @Test
  void placementCountsTheCopyAsTheCheaperProtection() {
    // a long build on a pool where its expected loss beats the saving goes to on-demand without
    // copies, to spot when a copy protects it for less than the saving
    ExponentialHazard risky = new ExponentialHazard(2, 0, 1, 10, 0, 1, -1);
    List<PoolOffer> pools = List.of(new PoolOffer(POOL, 0.6, risky, true));
    Placement placement = new Placement(POLICY);
    assertEquals(Optional.empty(), placement.choose(64, Duration.ofHours(3), pools));
    assertEquals(Optional.of(POOL), placement.choose(64, Duration.ofHours(3), pools, COPY_COST));
  }
}
