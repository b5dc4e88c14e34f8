package io.spotnest.orchestrator.view;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static io.spotnest.orchestrator.testing.States.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.PoolClosed;
import io.spotnest.orchestrator.model.ClosureKind;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.testing.States;
import io.spotnest.testbed.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The snapshot's pools: each spot pool the strategy assessed or a closure named, open, closed (a
 * failed launch) or draining (a burst), with the journaled reason and end, when this process saw
 * the closure, and the pool's latest risk.
 */
class FleetHistoryPoolsTest {
  private static final PoolKey SPOT_C = new PoolKey("c8i.2xlarge", "use1-az9");

  private final MutableClock clock = new MutableClock(T0);
  private final States states = new States();
  private final FleetHistory history = new FleetHistory(clock, 10);

  /** As the journal tap does: the model and the history see each record. */
  private void record(JournalRecord r) {
    states.state().apply(r);
    history.accept(r);
  }

  private static PoolStatus pool(FleetSnapshot s, PoolKey key) {
    return s.pools().stream()
        .filter(p -> p.pool().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no pool " + key + " in " + s.pools()));
  }

  @Test
  void aClosedAndADrainingPoolAreShownWithTheirReasonSinceAndEnd() {
    states.host("b1", SPOT_B, Market.SPOT, 8192).host("o1", OD, Market.ON_DEMAND, 8192);
    FleetState state = states.state();
    history.live(() -> state);
    clock.advance(Duration.ofMinutes(1));
    Instant closedAt = clock.instant();
    Instant reopens = closedAt.plus(Duration.ofMinutes(10));
    record(new PoolClosed(SPOT_A, reopens, "spot launch failed: InsufficientInstanceCapacity"));
    clock.advance(Duration.ofMinutes(1));
    Instant drainedAt = clock.instant();
    Instant leaveBy = drainedAt.plus(Duration.ofMinutes(5));
    Instant quietEnd = drainedAt.plus(Duration.ofMinutes(15));
    record(new PoolClosed(SPOT_B, quietEnd, "burst drain: notice for h-9", leaveBy));
    history.sample(clock.instant(), Map.of(SPOT_A, 0.125, SPOT_B, 0.5, SPOT_C, 0.0625));

    FleetSnapshot s = history.snapshot(state, clock.instant());

    assertEquals(
        List.of(SPOT_A, SPOT_B, SPOT_C), s.pools().stream().map(PoolStatus::pool).toList());
    PoolStatus a = pool(s, SPOT_A);
    assertEquals(PoolStatus.State.CLOSED, a.state());
    assertEquals(ClosureKind.LAUNCH_FAILED, a.kind());
    assertEquals("spot launch failed: InsufficientInstanceCapacity", a.reason());
    assertEquals(closedAt, a.since());
    assertEquals(reopens, a.until());
    assertNull(a.drainBy());
    assertEquals(0.125, a.risk());
    PoolStatus b = pool(s, SPOT_B);
    assertEquals(PoolStatus.State.DRAINING, b.state());
    assertEquals(ClosureKind.BURST_DRAIN, b.kind());
    assertEquals("burst drain: notice for h-9", b.reason());
    assertEquals(drainedAt, b.since());
    assertEquals(quietEnd, b.until());
    assertEquals(leaveBy, b.drainBy());
    assertEquals(0.5, b.risk());
    PoolStatus c = pool(s, SPOT_C);
    assertEquals(PoolStatus.State.OPEN, c.state());
    assertNull(c.kind());
    assertNull(c.reason());
    assertNull(c.since());
    assertNull(c.until());
    assertEquals(0.0625, c.risk());

    clock.advance(Duration.ofMinutes(9)); // A's hold is over, B still drains
    s = history.snapshot(state, clock.instant());
    assertEquals(PoolStatus.State.OPEN, pool(s, SPOT_A).state());
    assertNull(pool(s, SPOT_A).reason(), "an ended closure says nothing");
    assertNull(pool(s, SPOT_A).kind(), "an ended closure has no kind");
    assertEquals(PoolStatus.State.DRAINING, pool(s, SPOT_B).state());
    clock.advance(Duration.ofMinutes(10));
    assertEquals(
        PoolStatus.State.OPEN, pool(history.snapshot(state, clock.instant()), SPOT_B).state());
  }

  @Test
  void aClosureReplayedFromAnEarlierRunHasNoSinceAndALaterFailureKeepsTheLaterEnd() {
    FleetState state = states.state();
    Instant until = T0.plus(Duration.ofMinutes(10));
    record(new PoolClosed(SPOT_A, until, "spot launch failed: earlier run"));
    history.live(() -> state);
    Instant shorter = T0.plus(Duration.ofMinutes(5));
    record(new PoolClosed(SPOT_A, shorter, "spot launch failed: shorter"));

    PoolStatus a = pool(history.snapshot(state, T0), SPOT_A);

    assertEquals(PoolStatus.State.CLOSED, a.state());
    assertEquals(until, a.until(), "the pool reopens at the latest end journaled");
    assertEquals("spot launch failed: earlier run", a.reason(), "the closure that holds it");
    assertNull(a.since(), "replayed: this process did not see it happen");
    assertNull(a.risk(), "never assessed by this process");
  }
}
