package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static io.spotnest.orchestrator.testing.States.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.AgentAdopted;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPlaced;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.journal.JournalRecord.CopyStarted;
import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.LostBuild;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.testing.HandRemovalWorker;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.orchestrator.testing.States;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A removal the worker keeps trying (its host does not answer) must never hit a VM of the agent
 * that runs there legitimately, say one a later move, standing copy, boot or adoption put there.
 * Only the VM of an agent the model has as gone is removed; gone is final and an agent's name (its
 * VM's name) is never used again, so none of those can put that agent on that host while its
 * removal waits; a lost build comes back under a new name.
 */
class PendingRemovalSafetyTest {
  private final Rig rig = new Rig();

  @Test
  void aRemovalOnTheHostAMoveOfTheAgentGoesToIsRefusedAndTheVmArrivesThere() {
    Rig.MovingAgent m = rig.startAForcedMove();
    VmRemovals removals = new VmRemovals(rig.world, rig.o().state(), new HandRemovalWorker());

    assertThrows(IllegalStateException.class, () -> removals.remove(m.agent(), m.destination()));
    assertThrows(IllegalStateException.class, () -> removals.remove(m.agent(), m.source()));
    rig.world.completeMoves();
    rig.o().tick();

    assertEquals(m.destination(), rig.o().state().findAgent(m.agent()).orElseThrow().hostId());
    assertEquals(List.of(m.destination()), rig.world.copies().get(m.agent()), "it runs there");
    assertEquals(List.of(), rig.world.violations());
  }

  @Test
  void aLostBootsRemovalWaitingOnItsHostSparesTheRequeuedBuildBootedThere() {
    String h = rig.host(OD, Market.ON_DEMAND); // the only host: the requeued build goes there too
    rig.start();
    String a = rig.o().requestAgent(2048, Duration.ofHours(1));
    rig.world.bootsTimeOutOn(h, true); // the VM starts, the call times out: a lost build
    rig.world.removalsFailOn(h, true); // and its removal there fails for now
    rig.o().tick();
    LostBuild lost = rig.o().lostBuilds().get(0);
    assertEquals(a, lost.agentId());
    assertEquals(1, rig.removals().waiting(), "the lost VM's removal waits for its next try");

    rig.world.bootsTimeOutOn(h, false);
    rig.o().tick(); // the requeued build is placed and booted on the same host
    String requeued = lost.requeuedAs();
    assertEquals(AgentPhase.BOOTING, rig.o().state().findAgent(requeued).orElseThrow().phase());
    assertEquals(List.of(h), rig.world.copies().get(requeued));
    rig.world.removalsFailOn(h, false);
    rig.removals().retryAll();
    rig.o().tick();

    assertEquals(
        List.of(), rig.world.copies().getOrDefault(a, List.of()), "the lost build's VM is removed");
    assertEquals(List.of(h), rig.world.copies().get(requeued), "the requeued build runs on");
    assertEquals(List.of(), rig.world.violations());
  }

  @Test
  void aGoneAgentIsNeverRequestedPlacedBootedMovedCopiedOrAdoptedAgain() {
    FleetState s =
        new States()
            .host("h1", SPOT_A, Market.SPOT, 8192)
            .host("h2", SPOT_B, Market.SPOT, 8192)
            .agent("x", 1024, "h1", true)
            .state();
    s.apply(new AgentPhaseChanged("x", AgentPhase.GONE, T0, "retired"));

    for (JournalRecord r :
        List.of(
            new AgentRequested("x", 1024, Duration.ofHours(1), null),
            new AgentPlaced("x", "h1"),
            new AgentPhaseChanged("x", AgentPhase.BOOTING, T0, "booting on h1"),
            new MoveStarted("m-1", "x", "h1", "h2", T0.plusSeconds(120), true),
            new CopyStarted("c-1", "x", "h1", "h2", T0, "standing copy"),
            new AgentAdopted("x", "h1", "found running at restart"))) {
      assertThrows(RuntimeException.class, () -> s.plan(r), "refused: " + r);
    }
    assertTrue(s.findAgent("x").orElseThrow().phase() == AgentPhase.GONE);
  }
}
