package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 2, behaviour: a pool does not close before a reclamation for a strategy; a launch
 * fails only when the pool has no capacity now, and that failure is how the strategy learns it, at
 * the cost of waiting.
 */
class MarketKnowledgeTest {
  /**
   * One r5.16xlarge-sized pool: capacity for an hour, none from 60 to 80 min, then capacity again.
   */
  private static PoolMarket pool() {
    int[] counts = new int[24 * 60];
    Arrays.fill(counts, 1);
    Arrays.fill(counts, 60, 80, 0);
    return HandPool.of("hand", "us-east-1b", counts);
  }

  /** Always asks for the one spot pool, and records when it learnt of a failed launch. */
  private static final class AlwaysSpot implements Strategy {
    long learntNoCapacityAt = -1;

    @Override
    public String name() {
      return "always spot";
    }

    @Override
    public SpotPool choosePool(BuildRequest build, SimContext ctx) {
      SpotPool p = ctx.pools().get(0);
      if (learntNoCapacityAt < 0 && p.lastFailedLaunchAt() != Long.MIN_VALUE) {
        learntNoCapacityAt = p.lastFailedLaunchAt();
      }
      return p;
    }
  }

  @Test
  void
      aLaunchJustBeforeAReclamationSucceedsAndIsLostWithThePoolThenLaunchesFailUntilCapacityReturns() {
    Simulator sim = new Simulator(SimConfig.DEFAULTS, List.of(pool()));
    AlwaysSpot strategy = new AlwaysSpot();
    // arrives 4 minutes before the drop at 60 min: today's capacity is there, the reclamation is
    // not known yet
    SimResult r = sim.run(strategy, new Workload("one", List.of(new Build(0, 56, 30, 16))));
    assertEquals(1, r.buildsRestarted(), "the host launched into the closing pool goes with it");
    assertEquals(1, r.completed());
    assertTrue(
        strategy.learntNoCapacityAt >= 3600 && strategy.learntNoCapacityAt < 80 * 60,
        "learnt from a failed launch during the outage: " + strategy.learntNoCapacityAt);
    assertTrue(
        r.meanCompletionMin() >= (80 - 56) + 3 + 30 - 0.5,
        "the build waited for capacity: " + r.meanCompletionMin());
  }

  /**
   * During the outage, sets the fleet's clock past it and tries a launch there: a strategy can
   * write the fleet's fields, but must not learn the future from it.
   */
  private static final class ClockSetter implements Strategy {
    Boolean launchedInTheOutage;

    @Override
    public String name() {
      return "clock setter";
    }

    @Override
    public SpotPool choosePool(BuildRequest build, SimContext ctx) {
      return null;
    }

    @Override
    public void onTick(SimContext ctx) {
      long now = ctx.now();
      if (launchedInTheOutage == null && now >= 65 * 60) {
        ctx.fleet().now = 85 * 60;
        launchedInTheOutage = ctx.fleet().launch(ctx.pools().get(0), false) != null;
        ctx.fleet().now = now;
      }
    }
  }

  @Test
  void aStrategyThatSetsTheFleetsClockAheadLearnsNothingOfTheFuture() {
    Simulator sim = new Simulator(SimConfig.DEFAULTS, List.of(pool()));
    ClockSetter strategy = new ClockSetter();
    sim.run(strategy, new Workload("one", List.of(new Build(0, 0, 30, 16))));
    assertEquals(
        false,
        strategy.launchedInTheOutage,
        "at 65 min the pool has no capacity; a launch must fail whatever the fleet's clock says");
  }

  @Test
  void theOracleAloneIsHandedTheFuture() {
    Simulator sim = new Simulator(SimConfig.DEFAULTS, List.of(pool()));
    SimResult oracle =
        sim.run(
            new Oracle(
                new io.spotnest.strategy.policy.MigrationPolicy(
                    io.spotnest.strategy.policy.PolicyParameters.DEFAULTS, sim.estimator())),
            new Workload("one", List.of(new Build(0, 56, 30, 16))));
    assertEquals(
        0, oracle.buildsRestarted(), "the oracle knows the drop and does not launch into it");
    assertTrue(
        oracle.meanCompletionMin() <= 31,
        "and starts at once elsewhere: " + oracle.meanCompletionMin());
  }

  @Test
  void aStrategyGetsNoticesOnlyForItsOwnHosts() {
    AtomicLong clock = new AtomicLong(59 * 60);
    SpotPool view = new Market(pool(), SimConfig.DEFAULTS, clock::get).view;
    // the drop is at 60 min; a pool-wide notice would be pending from 58 min
    assertTrue(view.observe().notice().isEmpty(), "no host of ours there, no notice");
    clock.set(59 * 60 + 10);
    view.noticeReceived(60 * 60, "spot-7");
    clock.set(59 * 60 + 20);
    assertEquals("spot-7", view.observe().notice().orElseThrow().hostId());
  }
}
