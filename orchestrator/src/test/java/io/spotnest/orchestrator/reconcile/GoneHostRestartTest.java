package io.spotnest.orchestrator.reconcile;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord.HostPhaseChanged;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.LostBuild;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.testing.Rig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A restart that finds an agent's VM on a host the model has as gone (the host was reported gone
 * but still answers): the agent is lost, and its VM there is removed rather than left running.
 */
class GoneHostRestartTest {
  private final Rig rig = new Rig();

  @Test
  void aRunningAgentFoundOnAHostTheModelHasAsGoneIsLostAndItsVmThereRemoved() {
    Stranded st = agentOnAHostTheModelHasAsGone();
    String a = st.agent();
    String dst = st.host();

    rig.start(); // a controller restart

    assertEquals(AgentPhase.GONE, rig.o().state().findAgent(a).orElseThrow().phase());
    LostBuild lost =
        rig.o().lostBuilds().stream()
            .filter(l -> l.agentId().equals(a))
            .findFirst()
            .orElseThrow(() -> new AssertionError("not recorded lost: " + rig.o().lostBuilds()));
    assertTrue(lost.reason().contains(dst), lost.reason());
    assertEquals(
        List.of(),
        rig.world.copies().getOrDefault(a, List.of()),
        "no VM of the lost agent is left running on " + dst);
    assertEquals(List.of(), rig.world.violations());
  }

  @Test
  void whenThatHostDoesNotAnswerTheRemovalTheReconcileGoesOnAndALaterTryRemovesTheVm() {
    Stranded st = agentOnAHostTheModelHasAsGone();
    String a = st.agent();
    String dst = st.host();
    rig.world.removalsFailOn(dst, true);

    rig.start(); // a controller restart
    assertTrue(rig.o().tick().synced(), "the reconcile ran to its end");
    rig.world.removalsFailOn(dst, false);
    rig.removals().retryAll();
    rig.o().tick();

    assertEquals(AgentPhase.GONE, rig.o().state().findAgent(a).orElseThrow().phase());
    assertEquals(
        List.of(),
        rig.world.copies().getOrDefault(a, List.of()),
        "no VM of the lost agent is left running on " + dst);
    assertEquals(List.of(), rig.world.violations());
  }

  /** A busy agent whose VM runs on a host the model has as gone. */
  private record Stranded(String agent, String host) {}

  /**
   * A busy agent whose VM runs on a host that the model has as gone (reported gone wrongly, it
   * still answers), as a journal written before {@code HostLoss} checked a switch-over's
   * destination holds it (a move recorded finished onto a host already gone).
   */
  private Stranded agentOnAHostTheModelHasAsGone() {
    rig.host(SPOT_A, Market.SPOT);
    String dst = rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(dst, 2048, true);
    rig.journal.append(new HostPhaseChanged(dst, HostPhase.GONE, "terminated (sqs)"));
    return new Stranded(a, dst);
  }
}
