package io.spotnest.strategy.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.strategy.policy.MigrationAssumptions;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.ExponentialHazard;
import io.spotnest.strategy.signal.PoolId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The public move-back and consolidation decisions, with destinations. */
class MoveBackAndConsolidationTest {
  private static final Instant NOW = Instant.parse("2023-04-19T10:00:00Z");
  private static final PoolId EAST_B = new PoolId("r5.16xlarge", "us-east-1b");
  private static final PoolId EAST_C = new PoolId("r5.16xlarge", "us-east-1c");
  private static final PoolId WEST = new PoolId("r5.16xlarge", "us-west-2a");
  private static final ExponentialHazard CALM = new ExponentialHazard(0, 0, 1, 10, 0, 1, -1);
  private static final MigrationPolicy POLICY =
      new MigrationPolicy(
          PolicyParameters.DEFAULTS,
          new ParametricMigrationEstimator(MigrationAssumptions.DEFAULTS));

  private static AgentView agent(String id, double ram, Duration onHostFor) {
    return new AgentView(id, ram, false, Duration.ofMinutes(30), Duration.ofHours(2), onHostFor);
  }

  private static HostView host(
      String id, Optional<PoolId> pool, String zone, double cap, double used, AgentView... agents) {
    return new HostView(
        id, pool, zone, cap, used, NOW, false, false, false, false, NOW, List.of(agents));
  }

  private final MoveBackPlan plan =
      new MoveBackPlan(POLICY, Duration.ofMinutes(3), Duration.ofMinutes(10), 2.7);

  @Test
  void anAgentOnOnDemandGoesBackToACalmOpenPoolOfItsZoneOntoRoomOrANewHost() {
    AgentView a = agent("a", 16, Duration.ofMinutes(20));
    HostView od = host("od", Optional.empty(), "us-east-1b", 28, 16, a);
    List<PoolOffer> pools =
        List.of(new PoolOffer(EAST_B, 0.3, CALM, true), new PoolOffer(WEST, 0.2, CALM, true));
    assertEquals(
        Optional.of(new FleetDecision.Move("a", "od", new Destination.NewSpotHost(EAST_B))),
        plan.decide(List.of(od), od, a, pools, NOW),
        "the cheaper pool is in another region");
    HostView spot = host("s", Optional.of(EAST_B), "us-east-1b", 508, 100);
    assertEquals(
        Optional.of(new FleetDecision.Move("a", "od", new Destination.Host("s"))),
        plan.decide(List.of(od, spot), od, a, pools, NOW));
    assertEquals(
        Optional.empty(),
        plan.decide(List.of(od), od, a, List.of(new PoolOffer(EAST_B, 0.3, CALM, false)), NOW),
        "a closed pool takes nothing");
    AgentView fresh = agent("f", 16, Duration.ofMinutes(5));
    assertEquals(
        Optional.empty(),
        plan.decide(List.of(od), od, fresh, pools, NOW),
        "too soon after leaving spot");
  }

  @Test
  void anotherZoneOnlyWhenTheSavingBeatsTheTransfer() {
    AgentView a = agent("a", 16, Duration.ofMinutes(20));
    HostView od = host("od", Optional.empty(), "us-east-1b", 28, 16, a);
    // 16 GiB x 0.7 saving x 0.5 h = 5.6 < 2 x 16 x 2.7: not worth the transfer
    assertEquals(
        Optional.empty(),
        plan.decide(List.of(od), od, a, List.of(new PoolOffer(EAST_C, 0.3, CALM, true)), NOW));
    MoveBackPlan cheapTransfer =
        new MoveBackPlan(POLICY, Duration.ofMinutes(3), Duration.ofMinutes(10), 0.01);
    assertEquals(
        Optional.of(new FleetDecision.Move("a", "od", new Destination.NewSpotHost(EAST_C))),
        cheapTransfer.decide(
            List.of(od), od, a, List.of(new PoolOffer(EAST_C, 0.3, CALM, true)), NOW));
  }

  @Test
  void consolidationMergesTheEmptierHalfUsedHostIntoTheFullerOfTheSamePool() {
    HostView emptier =
        host(
            "e",
            Optional.of(EAST_B),
            "us-east-1b",
            508,
            40,
            agent("x", 8, Duration.ZERO),
            agent("y", 32, Duration.ZERO));
    HostView fuller =
        host("f", Optional.of(EAST_B), "us-east-1b", 508, 200, agent("z", 200, Duration.ZERO));
    HostView otherPool =
        host("o", Optional.of(EAST_C), "us-east-1c", 508, 10, agent("w", 10, Duration.ZERO));
    Consolidation c = new Consolidation(POLICY);
    assertEquals(
        List.of(
            new FleetDecision.Cordon("e"),
            new FleetDecision.Move("x", "e", new Destination.Host("f")),
            new FleetDecision.Move("y", "e", new Destination.Host("f"))),
        c.consolidateOnce(List.of(fuller, emptier, otherPool), NOW));
    assertEquals(
        List.of(),
        c.consolidateOnce(List.of(emptier, otherPool), NOW),
        "different pools never merge");
  }

  @Test
  void aNewBuildGoesToTheCalmestOpenPoolThatPaysElseToOnDemand() {
    Placement placement = new Placement(POLICY);
    ExponentialHazard calmer = new ExponentialHazard(0.001, 0, 1, 10, 0, 1, -1);
    ExponentialHazard calm = new ExponentialHazard(0.01, 0, 1, 10, 0, 1, -1);
    ExponentialHazard stormy = new ExponentialHazard(5, 0, 1, 10, 0, 1, -1);
    assertEquals(
        Optional.of(EAST_C),
        placement.choose(
            16,
            Duration.ofHours(1),
            List.of(
                new PoolOffer(EAST_B, 0.3, calm, true), new PoolOffer(EAST_C, 0.3, calmer, true))));
    assertEquals(
        Optional.of(EAST_B),
        placement.choose(
            16,
            Duration.ofHours(1),
            List.of(
                new PoolOffer(EAST_B, 0.3, calm, true), new PoolOffer(EAST_C, 0.3, calmer, false))),
        "a closed pool is skipped");
    assertEquals(
        Optional.empty(),
        placement.choose(
            16, Duration.ofHours(3), List.of(new PoolOffer(EAST_B, 0.3, stormy, true))),
        "on-demand when spot does not pay for the risk");
  }
}
