package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord.CopyDropped;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.placement.Limits;
import io.spotnest.orchestrator.port.CopyOrder;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.testing.Rig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A standing copy's stream uses the same per-host and per-link migration slots as a move (issue
 * 12): moves and copy streams together never exceed the limits, and a flush of an existing copy
 * reuses its own copy's slot, so the copies' own slots never hold a flush back.
 */
class CopySlotsTickTest {
  private final Rig rig = new Rig();

  /** At most {@code perHost} migrations per host and {@code perLink} per pair of hosts. */
  private void limits(int perHost, int perLink) {
    rig.limits = new Limits(20, 200, perHost, perLink, 0.2);
  }

  /** Migrations (moves and copy streams) in flight per host. */
  private Map<String, Integer> perHost() {
    Map<String, Integer> n = new HashMap<>();
    for (MoveOrder m : rig.world.movesInFlight()) {
      n.merge(m.from(), 1, Integer::sum);
      n.merge(m.to(), 1, Integer::sum);
    }
    for (CopyOrder c : rig.world.streams()) {
      n.merge(c.from(), 1, Integer::sum);
      n.merge(c.backup(), 1, Integer::sum);
    }
    return n;
  }

  @Test
  void copyStreamsTakeTheSourcesSlotsLikeMovesSoASecondCopyWaitsForAFreeOne() {
    limits(1, 1);
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(SPOT_B, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    String a2 = rig.copyAgent(h1, 1024, true);
    rig.start();
    rig.strategy.standingCopies.addAll(List.of(a1, a2));

    rig.o().tick();
    rig.o().tick();

    assertEquals(
        1, rig.world.streams().size(), "one slot on h1: one stream " + rig.world.streams());
    assertTrue(perHost().values().stream().allMatch(n -> n <= 1), perHost().toString());
    assertEquals(1, rig.o().state().copies().size());
  }

  @Test
  void aStandingCopyHoldsItsSlotSoAVoluntaryMoveOffTheSameHostWaits() {
    limits(1, 1);
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    String a2 = rig.agent(h1, 1024, true);
    rig.start();
    rig.strategy.standingCopies.add(a1);
    rig.o().tick();
    assertEquals(1, rig.world.streams().size());

    rig.strategy.evacuations.add(
        new Evacuation(a2, h1, rig.clock.instant().plusSeconds(3600), false, "consolidation"));
    TickReport r = rig.o().tick();

    assertEquals(List.of(), r.voluntaryStarted(), "h1's one slot is the copy's");
    assertEquals(List.of(), rig.world.movesInFlight());
    assertTrue(perHost().values().stream().allMatch(n -> n <= 1), perHost().toString());
    assertTrue(rig.o().state().copyOf(a1).isPresent(), od + " keeps the copy");
  }

  @Test
  void aMoveInFlightHoldsTheBackupsSlotSoNoCopyStartsThereMeanwhile() {
    limits(1, 1);
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String h2 = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    String a2 = rig.agent(h2, 1024, true);
    rig.start();
    rig.strategy.evacuations.add(
        new Evacuation(
            a2,
            h2,
            rig.clock.instant().plusSeconds(3600),
            false,
            "risk",
            java.util.Optional.of(od)));
    rig.o().tick();
    assertEquals(1, rig.world.movesInFlight().size(), "a2 moves to od");
    rig.strategy.evacuations.clear();

    rig.strategy.standingCopies.add(a1);
    rig.o().tick();

    assertEquals(List.of(), rig.world.streams(), "od's one slot is the move's: the copy waits");
    rig.world.completeMoves();
    rig.o().tick();
    rig.o().tick();
    assertEquals(od, rig.o().state().copyOf(a1).orElseThrow().backup(), "then it starts");
  }

  @Test
  void aForcedMoveNeverWaitsForAnotherHostsCopyTheCopyHoldingItsSlotIsDroppedFirst() {
    limits(1, 1);
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String h2 = rig.host(SPOT_B, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    String a2 = rig.agent(h2, 2048, true);
    rig.start();
    rig.strategy.standingCopies.add(a1);
    rig.o().tick();
    assertEquals(od, rig.o().state().copyOf(a1).orElseThrow().backup());
    rig.notice(h2, 120);

    TickReport r = rig.o().tick();

    assertEquals(
        List.of(a2 + "->" + od),
        r.forcedStarted().stream().map(m -> m.agentId() + "->" + m.to()).toList(),
        "the copy h1->od held od's only slot (and h1's): it gives way");
    assertTrue(
        rig.journal.replay().stream()
            .anyMatch(
                x -> x instanceof CopyDropped d && d.reason().contains("forced move of " + a2)),
        "the drop is journaled with its reason");
    assertTrue(perHost().values().stream().allMatch(n -> n <= 1), perHost().toString());
    assertEquals(List.of(), rig.world.violations());
  }

  /**
   * Dropping a copy for a forced move frees its backup's memory as well as its slots, so the forced
   * move's destination is chosen again after the drop: here the backup, full before and the safest
   * host after.
   */
  @Test
  void aCopyGivingWayFreesItsBackupsRoomAndTheForcedMoveMayTakeThatSaferHost() {
    limits(1, 1);
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String b = rig.host(SPOT_B, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String x = rig.agent(h1, 2048, true);
    String y = rig.copyAgent(b, 2048, true);
    rig.agent(od, 5120, true); // with y's copy reserved, od has 1 GiB left: too little for x
    rig.start();
    rig.strategy.standingCopies.add(y);
    rig.o().tick();
    assertEquals(od, rig.o().state().copyOf(y).orElseThrow().backup());
    rig.notice(h1, 120);

    TickReport r = rig.o().tick();

    assertEquals(
        List.of(x + "->" + od),
        r.forcedStarted().stream().map(m -> m.agentId() + "->" + m.to()).toList(),
        "before the drop the best was " + b + " (its slot held by the copy b->od)");
    assertEquals(List.of(), rig.world.violations());
  }

  @Test
  void aNoticeFlushesEveryCopyOfItsHostEvenWhenTheCopiesHoldAllOfItsSlots() {
    limits(2, 1);
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String b = rig.host(SPOT_B, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    String a2 = rig.copyAgent(h1, 1024, true);
    rig.start();
    rig.strategy.standingCopies.addAll(List.of(a1, a2));
    rig.o().tick();
    assertEquals(2, rig.world.streams().size(), "h1's two slots, one per link");
    assertEquals(
        Set.of(b, od),
        Set.copyOf(rig.world.streams().stream().map(CopyOrder::backup).toList()),
        "one link each: a per-link limit of 1");
    rig.notice(h1, 120);

    TickReport r = rig.o().tick();

    assertEquals(2, r.forcedStarted().size(), r.toString());
    assertEquals(Map.of(), rig.world.standbys(), "both flushed");
    assertEquals(Map.of(a1, List.of(od), a2, List.of(b)), rig.world.copies(), "on their backups");
  }
}
