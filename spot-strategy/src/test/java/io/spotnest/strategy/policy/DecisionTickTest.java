package io.spotnest.strategy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import io.spotnest.strategy.signal.InterruptionFrequency;
import io.spotnest.strategy.signal.InterruptionNotice;
import io.spotnest.strategy.signal.PoolId;
import io.spotnest.strategy.signal.PoolObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionTickTest {
  private static final Instant NOW = Instant.parse("2024-01-01T12:00:00Z");
  private static final PoolId POOL = new PoolId("r5.16xlarge", "us-east-1b");

  @Test
  void decidesEveryAgentAndForcesNotifiedHosts() {
    PoolObserver o = new PoolObserver(POOL);
    o.accept(new InterruptionFrequency(POOL, NOW.minusSeconds(3600), 0));
    DecisionTick tick =
        new DecisionTick(
            new HazardRiskModel(HazardParameters.DEFAULTS),
            new MigrationPolicy(
                PolicyParameters.DEFAULTS,
                new ParametricMigrationEstimator(MigrationAssumptions.DEFAULTS)));
    AgentState a = new AgentState("a", 32, Duration.ofMinutes(30), Duration.ofMinutes(60));
    AgentState b = new AgentState("b", 64, Duration.ofMinutes(90), Duration.ofMinutes(30));
    HostState calm = new HostState("h1", POOL, 0.3, List.of(a, b), Optional.empty());
    HostState noticed =
        new HostState(
            "h2",
            POOL,
            0.3,
            List.of(a),
            Optional.of(new InterruptionNotice(POOL, NOW, "h2", NOW.plusSeconds(120))));
    List<AgentDecision> d =
        tick.decide(NOW, Map.of(POOL, o.snapshot(NOW)), List.of(calm, noticed), Duration.ZERO);
    assertEquals(3, d.size());
    assertInstanceOf(Decision.Stay.class, d.get(0).decision());
    assertInstanceOf(Decision.MigrateOut.class, d.get(2).decision());
    assertThrows(
        IllegalArgumentException.class,
        () -> tick.decide(NOW, Map.of(), List.of(calm), Duration.ZERO));
  }
}
