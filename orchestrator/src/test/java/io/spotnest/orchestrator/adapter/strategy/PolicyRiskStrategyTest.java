package io.spotnest.orchestrator.adapter.strategy;

import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.port.AgentView;
import io.spotnest.orchestrator.port.Assessment;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.PoolSignals;
import io.spotnest.orchestrator.port.SpotHostView;
import io.spotnest.strategy.policy.MigrationAssumptions;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The adapter runs the real spot-strategy model and policy (no fakes). */
class PolicyRiskStrategyTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private final PolicyRiskStrategy strategy =
      new PolicyRiskStrategy(
          new HazardRiskModel(HazardParameters.DEFAULTS),
          new MigrationPolicy(
              PolicyParameters.DEFAULTS,
              new ParametricMigrationEstimator(MigrationAssumptions.DEFAULTS)),
          Duration.ZERO,
          0.35);

  private static PoolSignals calm(io.spotnest.orchestrator.model.PoolKey pool) {
    return new PoolSignals(
        pool,
        Optional.of(new MarketQuote(pool, NOW, 0.1, 0.4, OptionalInt.of(0))),
        List.of(),
        Optional.empty());
  }

  private static SpotHostView host(
      String id, io.spotnest.orchestrator.model.PoolKey pool, Optional<Instant> notice) {
    return new SpotHostView(
        id,
        pool,
        List.of(new AgentView(id + "-a", 4096, Duration.ofMinutes(30), Duration.ofMinutes(60))),
        notice);
  }

  @Test
  void aNoticeForcesItsOwnHostOutWithTheProvidersDeadlineAndLeavesItsPoolNeighbourAlone() {
    Instant deadline = NOW.plusSeconds(120);
    Assessment a =
        strategy.assess(
            NOW,
            List.of(calm(SPOT_A)),
            List.of(
                host("h1", SPOT_A, Optional.of(deadline)), host("h2", SPOT_A, Optional.empty())));
    assertEquals(
        List.of(new Evacuation("h1-a", "h1", deadline, true, "interruption notice")),
        a.evacuations());
    assertTrue(
        a.poolRisk().get(SPOT_A) < 0.05, "one host's notice is not the pool's: " + a.poolRisk());
  }

  @Test
  void rebalanceAndRecentReclamationsRaiseThePoolsRisk() {
    PoolSignals rebalanced =
        new PoolSignals(SPOT_B, calm(SPOT_B).quote(), List.of(), Optional.of(NOW.minusSeconds(60)));
    Assessment a = strategy.assess(NOW, List.of(calm(SPOT_A), rebalanced), List.of());
    assertTrue(a.poolRisk().get(SPOT_B) > 2 * a.poolRisk().get(SPOT_A), a.poolRisk().toString());

    PoolSignals burst =
        new PoolSignals(
            SPOT_B,
            calm(SPOT_B).quote(),
            List.of(NOW.minusSeconds(600), NOW.minusSeconds(300), NOW.minusSeconds(60)),
            Optional.empty());
    Assessment b = strategy.assess(NOW, List.of(calm(SPOT_A), burst), List.of());
    assertTrue(b.poolRisk().get(SPOT_B) > 2 * b.poolRisk().get(SPOT_A), b.poolRisk().toString());
  }

  @Test
  void aHostInAPoolWithoutSignalsIsStillJudged() {
    Assessment a = strategy.assess(NOW, List.of(), List.of(host("h1", SPOT_A, Optional.empty())));
    assertTrue(a.poolRisk().containsKey(SPOT_A), a.poolRisk().toString());
  }
}
