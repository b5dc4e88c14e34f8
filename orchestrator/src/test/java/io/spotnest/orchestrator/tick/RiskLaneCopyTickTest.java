package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.CopyDropped;
import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.testing.Rig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The risk lane knows the standing copies (issue 12): the strategy sees which agents keep a copy a
 * notice may flush (its risk lane leaves them, {@code FleetRiskStrategyTest}), and a voluntary
 * evacuation of such an agent that names no other destination flushes the copy instead of dropping
 * it for a cold move.
 */
class RiskLaneCopyTickTest {
  private final Rig rig = new Rig();

  @Test
  void theStrategySeesWhichAgentsKeepAFlushableCopy() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String copied = rig.copyAgent(h1, 2048, true);
    String bare = rig.copyAgent(h1, 1024, true);
    rig.start();
    rig.strategy.standingCopies.add(copied);
    rig.o().tick();

    rig.o().tick();

    Map<String, Boolean> seen = new HashMap<>();
    rig.strategy.lastLive.stream()
        .flatMap(h -> h.agents().stream())
        .forEach(a -> seen.put(a.agentId(), a.copied()));
    assertEquals(Map.of(copied, true, bare, false), seen);
  }

  @Test
  void aVoluntaryRiskMoveWithoutADestinationFlushesTheCopyToItsBackupInsteadOfAColdMove() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String b = rig.host(SPOT_B, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String filler = rig.agent(od, Rig.HOST_MIB, true); // od has no room: the copy goes to b
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.start();
    rig.strategy.standingCopies.add(a1);
    rig.o().tick();
    String copyId = rig.o().state().copyOf(a1).orElseThrow().copyId();
    assertEquals(b, rig.o().state().copyOf(a1).orElseThrow().backup());
    rig.o().retireAgent(filler); // od, the safest destination, has room again

    rig.strategy.evacuations.add(
        new Evacuation(a1, h1, rig.clock.instant().plusSeconds(900), false, "risk: leave early"));
    TickReport r = rig.o().tick();

    assertEquals(List.of(b), r.voluntaryStarted().stream().map(MoveOrder::to).toList());
    List<JournalRecord> j = rig.journal.replay();
    assertTrue(
        j.stream().noneMatch(x -> x instanceof CopyDropped), "the copy is used, not dropped");
    MoveStarted started =
        j.stream()
            .filter(x -> x instanceof MoveStarted)
            .map(x -> (MoveStarted) x)
            .findFirst()
            .orElseThrow();
    assertEquals("risk: leave early; standing-copy flush of " + copyId, started.reason());
    assertEquals(Map.of(a1, List.of(b)), rig.world.copies());
    assertEquals(Map.of(), rig.world.standbys());
    assertEquals(List.of(), rig.world.violations());
  }

  @Test
  void aVoluntaryMoveNamingAnotherHostStillGoesThereAndDropsTheCopy() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String b = rig.host(SPOT_B, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String filler = rig.agent(od, Rig.HOST_MIB, true);
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.start();
    rig.strategy.standingCopies.add(a1);
    rig.o().tick();
    assertEquals(b, rig.o().state().copyOf(a1).orElseThrow().backup());
    rig.o().retireAgent(filler);

    rig.strategy.evacuations.add(
        new Evacuation(
            a1, h1, rig.clock.instant().plusSeconds(900), false, "consolidation", Optional.of(od)));
    TickReport r = rig.o().tick();

    assertEquals(List.of(od), r.voluntaryStarted().stream().map(MoveOrder::to).toList());
    assertTrue(rig.o().state().copyOf(a1).isEmpty());
    assertEquals(Map.of(), rig.world.standbys(), "the copy was stopped");
    assertEquals(List.of(), rig.world.violations());
  }
}
