package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord.PoolClosed;
import io.spotnest.orchestrator.model.ClosureKind;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.LaunchFailureCause;
import io.spotnest.orchestrator.testing.Rig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A failed spot launch closes its pool with a kind that names the provider's cause, for a hold that
 * suits it: no capacity for the configured capacity hold, an offering that does not exist for far
 * longer, a used-up quota in every spot pool (no spot pool can succeed), anything else as before.
 */
class LaunchFailureClosureTickTest {
  private final Rig rig = new Rig();

  /** Starts a spot launch in SPOT_A that fails for {@code cause}; returns when it was seen. */
  private Instant failSpotLaunch(LaunchFailureCause cause) {
    String od = rig.host(OD, Market.ON_DEMAND);
    rig.agent(od, 2048, true);
    rig.start();
    rig.world.spotLaunchesFailIn(SPOT_A, cause);
    rig.strategy.spotLaunches.add(SPOT_A);
    assertEquals(1, rig.o().tick().hostsLaunched(), "the spot launch is tried");
    rig.clock.advance(Duration.ofSeconds(30));
    Instant seen = rig.clock.instant();
    assertEquals(0, rig.o().tick().hostsLaunched(), "closed after the launch failed");
    return seen;
  }

  private List<PoolClosed> closures() {
    return rig.journal.replay().stream()
        .filter(PoolClosed.class::isInstance)
        .map(PoolClosed.class::cast)
        .toList();
  }

  private long spotAttemptsIn(PoolKey pool) {
    return rig.world.launchAttempts().stream().filter(pool::equals).count();
  }

  @Test
  void noCapacityClosesThePoolAsNoCapacityForTheCapacityHold() {
    Instant seen = failSpotLaunch(LaunchFailureCause.NO_CAPACITY);

    PoolClosed c = closures().get(0);
    assertEquals(ClosureKind.NO_CAPACITY, c.kind());
    assertEquals(SPOT_A, c.pool());
    assertEquals(seen.plus(FleetConfig.DEFAULT_CAPACITY_HOLD), c.until());
    assertTrue(c.reason().contains("InsufficientInstanceCapacity"), c.reason());
    rig.clock.advance(FleetConfig.DEFAULT_CAPACITY_HOLD);
    assertEquals(1, rig.o().tick().hostsLaunched(), "tried again after the capacity hold");
  }

  @Test
  void anUnsupportedOfferingIsNotTriedAgainSoon() {
    Instant seen = failSpotLaunch(LaunchFailureCause.UNSUPPORTED);

    PoolClosed c = closures().get(0);
    assertEquals(ClosureKind.UNSUPPORTED, c.kind());
    assertEquals(seen.plus(FleetConfig.UNSUPPORTED_HOLD), c.until());
    assertTrue(
        FleetConfig.UNSUPPORTED_HOLD.compareTo(FleetConfig.DEFAULT_CAPACITY_HOLD.multipliedBy(10))
            >= 0,
        "far longer than a capacity hold");
    rig.clock.advance(FleetConfig.DEFAULT_CAPACITY_HOLD.multipliedBy(2));
    assertEquals(0, rig.o().tick().hostsLaunched(), "still closed after two capacity holds");
    assertEquals(1, spotAttemptsIn(SPOT_A));
    rig.clock.advance(FleetConfig.UNSUPPORTED_HOLD);
    assertEquals(1, rig.o().tick().hostsLaunched(), "tried again once its hold ended");
  }

  @Test
  void aUsedUpQuotaClosesEverySpotPool() {
    Instant seen = failSpotLaunch(LaunchFailureCause.QUOTA);

    assertEquals(
        List.of(SPOT_A, SPOT_B),
        closures().stream().map(PoolClosed::pool).toList(),
        "the failed pool, then the other spot pool: the quota is the account's");
    for (PoolClosed c : closures()) {
      assertEquals(ClosureKind.QUOTA, c.kind());
      assertEquals(seen.plus(FleetConfig.DEFAULT_CAPACITY_HOLD), c.until());
    }
    assertTrue(rig.o().state().poolOpen(OD, seen), "on-demand is never closed");
    rig.strategy.spotLaunches.add(SPOT_B);
    assertEquals(0, rig.o().tick().hostsLaunched(), "no spot launch in the other pool either");
    assertEquals(0, spotAttemptsIn(SPOT_B));
  }

  @Test
  void anyOtherFailureReadsAsALaunchFailedForTheCapacityHold() {
    Instant seen = failSpotLaunch(LaunchFailureCause.OTHER);

    assertEquals(1, closures().size());
    PoolClosed c = closures().get(0);
    assertEquals(ClosureKind.LAUNCH_FAILED, c.kind());
    assertEquals(seen.plus(FleetConfig.DEFAULT_CAPACITY_HOLD), c.until());
  }
}
