package io.spotnest.strategy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.risk.ExponentialHazard;
import io.spotnest.strategy.risk.Hazard;
import io.spotnest.strategy.signal.InterruptionNotice;
import io.spotnest.strategy.signal.PoolId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MigrationPolicyTest {
  private static final PoolId POOL = new PoolId("r5.16xlarge", "us-east-1b");
  private static final Instant NOW = Instant.parse("2023-04-20T12:00:00Z");
  private final MigrationPolicy policy =
      new MigrationPolicy(
          PolicyParameters.DEFAULTS,
          new ParametricMigrationEstimator(MigrationAssumptions.DEFAULTS));

  private static Hazard rate(double perHour) {
    return new ExponentialHazard(perHour, 0, 1, 0, 0, 1, -1);
  }

  private static AgentContext ctx(
      double ram, double hostRam, Duration elapsed, Hazard h, Duration destReady) {
    return new AgentContext(
        NOW,
        ram,
        elapsed,
        Duration.ofMinutes(60),
        POOL,
        h,
        0.3,
        hostRam,
        destReady,
        Optional.empty());
  }

  @Test
  void noticeForcesMigrationWithTheNoticeDeadline() {
    Instant deadline = NOW.plusSeconds(120);
    AgentContext c =
        new AgentContext(
            NOW,
            8,
            Duration.ZERO,
            Duration.ofMinutes(60),
            POOL,
            rate(0),
            0.3,
            8,
            Duration.ZERO,
            Optional.of(new InterruptionNotice(POOL, NOW, "h", deadline)));
    Decision.MigrateOut d = assertInstanceOf(Decision.MigrateOut.class, policy.decide(c));
    assertEquals(deadline, d.deadline());
    assertTrue(d.forced());
  }

  @Test
  void agentsEvacuableWithinTheNoticeStay() {
    assertInstanceOf(
        Decision.Stay.class,
        policy.decide(ctx(16, 32, Duration.ofHours(2), rate(50), Duration.ZERO)));
  }

  @Test
  void riskyPoolWithLongBuildAndSlowEvacuationMigratesOutWithDeadline() {
    AgentContext c = ctx(64, 400, Duration.ofHours(2), rate(3), Duration.ofMinutes(3));
    Decision.MigrateOut d = assertInstanceOf(Decision.MigrateOut.class, policy.decide(c));
    assertFalse(d.forced());
    assertEquals(NOW.plus(policy.timeToEvacuate(c)), d.deadline());
  }

  @Test
  void safePoolStays() {
    assertInstanceOf(
        Decision.Stay.class,
        policy.decide(ctx(64, 400, Duration.ofHours(2), rate(0.001), Duration.ofMinutes(3))));
  }

  @Test
  void freshBuildsAreCheaperToRiskThanOldOnes() {
    Hazard h = rate(0.6);
    assertInstanceOf(
        Decision.Stay.class, policy.decide(ctx(64, 400, Duration.ZERO, h, Duration.ofMinutes(3))));
    assertInstanceOf(
        Decision.MigrateOut.class,
        policy.decide(ctx(64, 400, Duration.ofHours(3), h, Duration.ofMinutes(3))));
  }

  @Test
  void moveBackOnlyToSafePoolsWithEnoughBuildLeft() {
    AgentContext safe = ctx(32, 200, Duration.ofMinutes(10), rate(0.01), Duration.ofMinutes(3));
    assertInstanceOf(Decision.MoveBack.class, policy.moveBack(safe));
    assertInstanceOf(
        Decision.Stay.class,
        policy.moveBack(ctx(32, 200, Duration.ofMinutes(10), rate(5), Duration.ofMinutes(3))));
    AgentContext almostDone =
        new AgentContext(
            NOW,
            32,
            Duration.ofMinutes(100),
            Duration.ofMinutes(5),
            POOL,
            rate(0.01),
            0.3,
            200,
            Duration.ofMinutes(3),
            Optional.empty());
    assertInstanceOf(Decision.Stay.class, policy.moveBack(almostDone));
  }

  @Test
  void consolidatesTwoHalfEmptyHostsOnly() {
    assertTrue(policy.shouldConsolidate(100, 500, 200, 500));
    assertFalse(policy.shouldConsolidate(300, 500, 100, 500));
    assertFalse(policy.shouldConsolidate(0, 500, 100, 500));
    assertFalse(policy.shouldConsolidate(240, 500, 240, 400));
  }

  @Test
  void placementAvoidsHotPools() {
    assertTrue(policy.placeOnSpot(32, Duration.ofMinutes(90), rate(0.05), 0.3));
    assertFalse(policy.placeOnSpot(32, Duration.ofMinutes(90), rate(10), 0.3));
    assertFalse(policy.placeOnSpot(32, Duration.ofMinutes(90), rate(0), 1.0));
  }
}
