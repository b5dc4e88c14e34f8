package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.ClosureKind;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.placement.Limits;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.port.PoolDrain;
import io.spotnest.orchestrator.testing.Rig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The strategy's burst drain (many hosts of one pool at risk at once) is acted on: journaled first,
 * the pool's hosts take no new agents, no launch goes there until the quiet end, and its agents
 * leave in the forced lane, earliest deadline first within the migration limits, by the journaled
 * (absolute) deadline, also after a restart.
 */
class BurstDrainTickTest {
  private final Rig rig = new Rig();
  private String a1;
  private String a2;
  private String b1;
  private String calmB;
  private String od;
  private String onA1;
  private String onA2;
  private String onB1;
  private Instant drainBy;

  /** Two busy spot hosts in A, one in B under a 2-minute notice, an idle B host, one od host. */
  private void fleet() {
    rig.limits = new Limits(20, 200, 2, 2, 0.2);
    a1 = rig.host(SPOT_A, Market.SPOT);
    a2 = rig.host(SPOT_A, Market.SPOT);
    b1 = rig.host(SPOT_B, Market.SPOT);
    calmB = rig.host(SPOT_B, Market.SPOT);
    od = rig.host(OD, Market.ON_DEMAND);
    onA1 = rig.agent(a1, 2048, true);
    onA2 = rig.agent(a2, 2048, true);
    onB1 = rig.agent(b1, 2048, true);
    rig.strategy.risk.put(SPOT_B, 0.5); // above the limit: no destination there
    rig.start();
    Instant now = rig.clock.instant();
    rig.world.event(
        new FleetEvent.Notice(rig.world.nextEventId(), b1, "sqs", now, now.plusSeconds(120)));
    drainBy = now.plus(Duration.ofMinutes(5));
    rig.strategy.drains.add(
        new PoolDrain(SPOT_A, drainBy, now.plus(Duration.ofMinutes(15)), "burst drain: test"));
  }

  @Test
  void aBurstDrainIsJournaledBeforeItsMovesAndTheyGoEarliestDeadlineFirstWithinTheLimits() {
    fleet();

    TickReport r = rig.o().tick();

    List<JournalRecord> journal = rig.journal.replay();
    int closed = indexOf(journal, JournalRecord.PoolClosed.class);
    assertTrue(closed >= 0, "the drain is journaled");
    JournalRecord.PoolClosed c = (JournalRecord.PoolClosed) journal.get(closed);
    assertEquals(SPOT_A, c.pool());
    assertEquals(drainBy, c.drainBy());
    assertEquals(ClosureKind.BURST_DRAIN, c.kind(), "the strategy's burst drain");
    for (int i = 0; i < journal.size(); i++) {
      if (journal.get(i) instanceof JournalRecord.MoveStarted m && !m.agentId().equals(onB1)) {
        assertTrue(i > closed, "a drained agent's move is journaled after the drain: " + m);
      }
    }
    assertEquals(HostPhase.DRAINING, phase(a1));
    assertEquals(HostPhase.DRAINING, phase(a2));
    assertEquals(HostPhase.READY, phase(calmB), "another pool's host is untouched");
    // the od host takes two moves at once: the notice (2 min) first, then one of the pool's
    assertEquals(List.of(onB1, onA1), r.forcedStarted().stream().map(MoveOrder::agentId).toList());
    assertEquals(1, r.forcedWaiting(), "the second drained agent waits for a slot");
    assertEquals(drainBy, r.forcedStarted().get(1).deadline(), "the drain's absolute deadline");
    assertTrue(r.forcedStarted().stream().allMatch(m -> m.to().equals(od)));
  }

  @Test
  void aDrainedPoolTakesNoNewAgentAndNoLaunchUntilItsQuietEnd() {
    fleet();
    long seeded = launchesIn();
    rig.strategy.spotLaunches.add(SPOT_A);
    rig.o().tick();
    String agent = rig.o().requestAgent(1024, Duration.ofMinutes(30));

    rig.clock.advance(Duration.ofSeconds(10));
    rig.o().tick();

    String placedOn = rig.o().state().findAgent(agent).orElseThrow().hostId();
    assertNotEquals(a1, placedOn);
    assertNotEquals(a2, placedOn);
    assertEquals(seeded, launchesIn(), "no launch in a drained pool");
    rig.clock.advance(Duration.ofMinutes(15));
    rig.o().tick();
    assertEquals(seeded + 1, launchesIn(), "launches resume after the quiet end");
  }

  @Test
  void theSameBurstIsJournaledOnceAndARestartKeepsDrainingByTheFirstDeadline() {
    fleet();
    rig.o().tick();
    rig.world.completeMoves();
    rig.clock.advance(Duration.ofSeconds(10));
    // the strategy keeps answering the notice with a later deadline: not a new burst
    rig.strategy.drains.set(
        0,
        new PoolDrain(
            SPOT_A,
            rig.clock.instant().plus(Duration.ofMinutes(5)),
            rig.clock.instant().plus(Duration.ofMinutes(15)),
            "burst drain: test"));
    rig.o().tick();
    assertEquals(
        1,
        rig.journal.replay().stream().filter(JournalRecord.PoolClosed.class::isInstance).count());

    rig.strategy.drains.clear(); // the noticed host is gone: the strategy says no more
    rig.start(); // a restart from the journal
    rig.world.completeMoves();
    rig.clock.advance(Duration.ofSeconds(10));
    rig.o().tick();
    rig.world.completeMoves();
    rig.clock.advance(Duration.ofSeconds(10));
    rig.o().tick();

    List<JournalRecord.MoveStarted> moves =
        rig.journal.replay().stream()
            .filter(JournalRecord.MoveStarted.class::isInstance)
            .map(JournalRecord.MoveStarted.class::cast)
            .filter(m -> m.agentId().equals(onA2))
            .toList();
    assertEquals(1, moves.size(), "the second drained agent moved after the restart");
    assertEquals(drainBy, moves.get(0).deadline());
    assertTrue(moves.get(0).forced());
    assertEquals(od, rig.o().state().findAgent(onA2).orElseThrow().hostId());
  }

  @Test
  void aHostOfTheDrainedPoolThatWasStillLaunchingDrainsOnceReady() {
    fleet();
    rig.journal.append(
        new JournalRecord.HostLaunchRequested(
            "late-1", SPOT_A, Market.SPOT, Rig.HOST_MIB, rig.clock.instant()));
    rig.world.launchRuns(false);
    rig.world.launch("late-1", new HostOrder(SPOT_A, Market.SPOT, Rig.HOST_MIB));
    String late =
        rig.world.hosts().values().stream()
            .filter(h -> h.launchKey().equals("late-1"))
            .findFirst()
            .orElseThrow()
            .id();
    rig.start();
    rig.o().tick(); // the drain
    rig.world.run(late);
    String agent = rig.o().requestAgent(1024, Duration.ofMinutes(30));
    rig.clock.advance(Duration.ofSeconds(10));

    rig.o().tick();

    assertEquals(HostPhase.DRAINING, phase(late), "it joined a drained pool");
    assertNotEquals(late, rig.o().state().findAgent(agent).orElseThrow().hostId());
  }

  private long launchesIn() {
    return rig.world.launchAttempts().stream().filter(SPOT_A::equals).count();
  }

  private HostPhase phase(String hostId) {
    return rig.o().state().findHost(hostId).orElseThrow().phase();
  }

  private static int indexOf(List<JournalRecord> journal, Class<?> type) {
    for (int i = 0; i < journal.size(); i++) {
      if (type.isInstance(journal.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
