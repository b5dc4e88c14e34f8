package io.spotnest.orchestrator.lifecycle;

import static io.spotnest.orchestrator.lifecycle.AgentPhase.*;
import static io.spotnest.orchestrator.lifecycle.HostPhase.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {

  @Test
  void agentWalksItsWholeLife() {
    List<AgentPhase> life =
        List.of(
            REQUESTED,
            PLACED,
            BOOTING,
            ONLINE,
            BUSY,
            MIGRATING,
            ONLINE,
            AgentPhase.DRAINING,
            AgentPhase.GONE);
    for (int i = 1; i < life.size(); i++) {
      assertEquals(life.get(i), life.get(i - 1).to(life.get(i)));
    }
  }

  @Test
  void agentRefusesSkippingSteps() {
    assertThrows(IllegalTransitionException.class, () -> REQUESTED.to(ONLINE));
    assertThrows(IllegalTransitionException.class, () -> PLACED.to(MIGRATING));
    assertThrows(IllegalTransitionException.class, () -> BOOTING.to(MIGRATING));
    assertThrows(IllegalTransitionException.class, () -> MIGRATING.to(MIGRATING));
    assertThrows(IllegalTransitionException.class, () -> AgentPhase.DRAINING.to(BUSY));
    assertThrows(IllegalTransitionException.class, () -> AgentPhase.DRAINING.to(MIGRATING));
  }

  @Test
  void goneIsFinalForBoth() {
    for (AgentPhase p : AgentPhase.values()) {
      assertFalse(AgentPhase.GONE.canMoveTo(p), "agent GONE -> " + p);
    }
    for (HostPhase p : HostPhase.values()) {
      assertFalse(HostPhase.GONE.canMoveTo(p), "host GONE -> " + p);
    }
  }

  @Test
  void anyLiveAgentCanBeLost() {
    for (AgentPhase p : AgentPhase.values()) {
      if (p != AgentPhase.GONE) {
        assertTrue(p.canMoveTo(AgentPhase.GONE), p + " -> GONE");
      }
    }
  }

  @Test
  void hostWalksItsWholeLife() {
    List<HostPhase> life = List.of(LAUNCHING, READY, AT_RISK, HostPhase.DRAINING, HostPhase.GONE);
    for (int i = 1; i < life.size(); i++) {
      assertEquals(life.get(i), life.get(i - 1).to(life.get(i)));
    }
  }

  @Test
  void hostRefusesIllegalSteps() {
    assertThrows(IllegalTransitionException.class, () -> LAUNCHING.to(AT_RISK));
    assertThrows(IllegalTransitionException.class, () -> LAUNCHING.to(HostPhase.DRAINING));
    assertThrows(IllegalTransitionException.class, () -> READY.to(LAUNCHING));
    IllegalTransitionException e =
        assertThrows(IllegalTransitionException.class, () -> HostPhase.GONE.to(READY));
    assertTrue(e.getMessage().contains("GONE") && e.getMessage().contains("READY"), e.getMessage());
  }

  @Test
  void riskCanSubsideAndAVoluntaryDrainCanBeRolledBack() {
    assertEquals(READY, AT_RISK.to(READY));
    assertEquals(READY, HostPhase.DRAINING.to(READY));
  }

  @Test
  void onlyReadyHostsTakeNewAgents() {
    for (HostPhase p : HostPhase.values()) {
      assertEquals(p == READY, p.placeable(), p.name());
    }
  }
}
