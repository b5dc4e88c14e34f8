package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.testing.Rig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A host reported gone that the cloud still lists (it runs, and costs): once no move touches it and
 * no agent of the model is on it, it is terminated, and the VMs of its lost agents with it.
 */
class WronglyGoneHostTest {
  private final Rig rig = new Rig();

  private void reportGone(String hostId) {
    rig.reportGone(hostId, "spot reclamation");
  }

  @Test
  void aHostReportedGoneButStillListedIsTerminatedWithTheVmsOfItsLostAgents() {
    String h = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(h, 2048, true);
    rig.start();
    reportGone(h); // wrongly: h keeps running
    rig.o().tick();
    assertEquals(HostPhase.GONE, rig.o().state().findHost(h).orElseThrow().phase());
    assertEquals(AgentPhase.GONE, rig.o().state().findAgent(a).orElseThrow().phase());

    rig.o().tick();

    assertTrue(rig.world.terminated().contains(h), "terminated: " + rig.world.terminated());
    assertFalse(rig.world.hosts().containsKey(h), "no longer running");
    assertEquals(List.of(), rig.world.copies().getOrDefault(a, List.of()));
    assertTrue(rig.world.violations().isEmpty(), rig.world.violations().toString());
  }

  @Test
  void aHostReportedGoneIsKeptWhileAMoveOffItRunsAndTerminatedOnceItEnded() {
    Rig.MovingAgent m = rig.startAForcedMove();
    String src = m.source();
    String dst = m.destination();
    String a = m.agent();
    assertEquals(dst, m.move().to());
    reportGone(src); // wrongly: src keeps running, and the move off it
    rig.o().tick();
    rig.o().tick();
    assertFalse(rig.world.terminated().contains(src), "kept while the move off it runs");

    rig.world.completeMoves();
    rig.o().tick();
    rig.o().tick();

    assertEquals(dst, rig.o().state().findAgent(a).orElseThrow().hostId());
    assertEquals(List.of(), rig.o().lostBuilds(), "the build survived the move");
    assertTrue(rig.world.terminated().contains(src), "terminated: " + rig.world.terminated());
    assertEquals(List.of(dst), rig.world.copies().get(a));
    assertTrue(rig.world.violations().isEmpty(), rig.world.violations().toString());
  }
}
