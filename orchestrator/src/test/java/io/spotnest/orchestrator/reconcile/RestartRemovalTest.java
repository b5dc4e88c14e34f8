package io.spotnest.orchestrator.reconcile;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPlaced;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.MemoryBacking;
import io.spotnest.orchestrator.testing.Rig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A restart whose removal of a gone agent's VM fails (its host does not answer): the reconcile goes
 * on, and the VM is removed by a later try of the removal worker.
 */
class RestartRemovalTest {
  private final Rig rig = new Rig();

  @Test
  void aRemovalThatFailsAtRestartDoesNotStopTheReconcileAndALaterTryRemovesTheVm() {
    String h = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(h, 2048, false);
    String b = rig.agent(h, 2048, true);
    rig.start();
    rig.world.removalsFailOn(h, true);
    rig.o().retireAgent(a); // journaled gone; its VM stays on h, the removal kept in memory only

    rig.start(); // a controller restart while h still does not answer removals
    assertTrue(rig.o().tick().synced(), "the reconcile ran to its end");
    rig.world.removalsFailOn(h, false);
    rig.removals().retryAll();
    rig.o().tick();

    assertEquals(AgentPhase.GONE, rig.o().state().findAgent(a).orElseThrow().phase());
    assertEquals(AgentPhase.BUSY, rig.o().state().findAgent(b).orElseThrow().phase());
    assertEquals(
        List.of(),
        rig.world.copies().getOrDefault(a, List.of()),
        "the gone agent's VM is removed once " + h + " answers");
    assertEquals(List.of(h), rig.world.copies().get(b));
    assertEquals(List.of(), rig.o().lostBuilds());
    assertEquals(List.of(), rig.world.violations());
  }

  @Test
  void aBootAgainAtRestartThatFailsAfterTheVmStartedIsALostBuildAndLeavesNoVmThere() {
    String h = rig.host(OD, Market.ON_DEMAND);
    String a = "agent-cut-off";
    // the journal says booting; the controller died before it called the boot
    rig.journal.append(new AgentRequested(a, 2048, Duration.ofHours(1), null));
    rig.journal.append(new AgentPlaced(a, h));
    rig.journal.append(
        new AgentPhaseChanged(
            a, AgentPhase.BOOTING, rig.clock.instant(), "booting on " + h, MemoryBacking.RAM));
    rig.world.bootsTimeOutOn(h, true); // the VM starts, the call times out

    rig.start();

    assertEquals(AgentPhase.GONE, rig.o().state().findAgent(a).orElseThrow().phase());
    assertEquals(a, rig.o().lostBuilds().get(0).agentId());
    assertEquals(
        List.of(),
        rig.world.copies().getOrDefault(a, List.of()),
        "no VM of the lost agent is left running on " + h);
    assertEquals(List.of(), rig.world.violations());
  }
}
