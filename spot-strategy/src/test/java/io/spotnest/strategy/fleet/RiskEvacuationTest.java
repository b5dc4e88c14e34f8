package io.spotnest.strategy.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Leaving a risky spot host early, with destinations in the agent's zone. */
class RiskEvacuationTest {
  private static final Instant NOW = Instant.parse("2023-04-19T10:00:00Z");
  private static final PoolId POOL = new PoolId("r5.16xlarge", "us-east-1b");
  private static final ExponentialHazard CALM = new ExponentialHazard(0, 0, 1, 10, 0, 1, -1);
  private static final ExponentialHazard STORMY = new ExponentialHazard(5, 0, 1, 10, 0, 1, -1);
  private final RiskEvacuation evacuation =
      new RiskEvacuation(
          new MigrationPolicy(
              PolicyParameters.DEFAULTS,
              new ParametricMigrationEstimator(MigrationAssumptions.DEFAULTS)),
          Duration.ofMinutes(3),
          ram -> 2 * ram);

  /**
   * 192 GiB of old builds: more than a 2-minute notice can drain, so waiting for the notice is no
   * option.
   */
  private static HostView spotHost() {
    List<AgentView> agents = List.of(old("a"), old("b"), old("c"));
    return new HostView(
        "s",
        Optional.of(POOL),
        "us-east-1b",
        508,
        192,
        NOW,
        false,
        false,
        false,
        false,
        NOW,
        agents);
  }

  private static AgentView old(String id) {
    return new AgentView(
        id, 64, false, Duration.ofHours(2), Duration.ofHours(1), Duration.ofHours(2));
  }

  private static HostView onDemand(String id, String zone, double free) {
    return new HostView(
        id,
        Optional.empty(),
        zone,
        100,
        100 - free,
        NOW,
        false,
        false,
        false,
        false,
        NOW,
        List.of());
  }

  @Test
  void anOldBuildLeavesAStormyPoolForOnDemandRoomInItsZoneNeverAcrossZones() {
    List<PoolOffer> stormy = List.of(new PoolOffer(POOL, 0.3, STORMY, true));
    List<FleetDecision> d =
        evacuation.decide(
            List.of(
                spotHost(),
                onDemand("od-c", "us-east-1c", 100),
                onDemand("od-b", "us-east-1b", 80)),
            stormy,
            NOW);
    assertEquals(3, d.size(), d.toString());
    FleetDecision.Evacuate e = (FleetDecision.Evacuate) d.get(0);
    assertEquals(new Destination.Host("od-b"), e.to());
    assertEquals(
        new Destination.NewOnDemandHost("new-on-demand-0", "us-east-1b"),
        ((FleetDecision.Evacuate) d.get(1)).to(),
        "od-b is full now and od-c is in another zone");
    assertEquals(
        new Destination.Host("new-on-demand-0"),
        ((FleetDecision.Evacuate) d.get(2)).to(),
        "the host launched for the second has room for the third");
    assertEquals(false, e.forced());
    assertTrue(e.deadline().isAfter(NOW), "the policy's deadline: now + the time to drain");
    List<FleetDecision> launched =
        evacuation.decide(List.of(spotHost(), onDemand("od-c", "us-east-1c", 100)), stormy, NOW);
    assertEquals(
        new Destination.NewOnDemandHost("new-on-demand-0", "us-east-1b"),
        ((FleetDecision.Evacuate) launched.get(0)).to(),
        "a voluntary move launches in its zone rather than pay");
    assertEquals(
        List.of(),
        evacuation.decide(List.of(spotHost()), List.of(new PoolOffer(POOL, 0.3, CALM, true)), NOW),
        "a calm pool keeps its agents");
  }
}
