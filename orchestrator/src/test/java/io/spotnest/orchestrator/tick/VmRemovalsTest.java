package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPlaced;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.testing.FakeWorld;
import io.spotnest.orchestrator.testing.HandRemovalWorker;
import io.spotnest.orchestrator.testing.HangingVms;
import io.spotnest.orchestrator.testing.States;
import io.spotnest.orchestrator.tick.VmRemovals.Removal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link VmRemovals} over the real model, its worker driven by hand: only a gone agent's VM is
 * removed, a removal is handed over once, tried again after growing pauses until it works, and
 * taken in at the tick.
 */
class VmRemovalsTest {
  private final States states =
      new States().host("h1", SPOT_A, Market.SPOT, 8192).host("h2", OD, Market.ON_DEMAND, 8192);
  private final HangingVms vms = new HangingVms(new FakeWorld());
  private final HandRemovalWorker worker = new HandRemovalWorker();
  private final VmRemovals removals = new VmRemovals(vms, states.state(), worker);

  @Test
  void theVmOfAnAgentThatMayRunIsNeverRemovedAnywhere() {
    states.agent("online", 1024, "h1", false).agent("busy", 1024, "h1", true);
    states.agent("moving", 1024, "h1", true);
    states.state().apply(new MoveStarted("m-1", "moving", "h1", "h2", T0.plusSeconds(120), true));
    states.state().apply(new AgentRequested("booting", 1024, Duration.ofHours(1), null));
    states.state().apply(new AgentPlaced("booting", "h2"));
    states.state().apply(new AgentPhaseChanged("booting", AgentPhase.BOOTING, T0, "test"));

    for (Removal r :
        List.of(
            new Removal("online", "h1"),
            new Removal("busy", "h2"),
            new Removal("moving", "h1"),
            new Removal("moving", "h2"), // the destination its VM is arriving on
            new Removal("booting", "h2"))) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class, () -> removals.remove(r.agentId(), r.hostId()), "" + r);
      assertTrue(e.getMessage().contains(r.agentId()), e.getMessage());
    }

    assertEquals(0, vms.attempts(), "no VM of a live agent was touched");
    assertEquals(List.of(), removals.pending());
  }

  @Test
  void aGoneAgentsRemovalIsHandedOverOnceAndTakenInAtTheTickOnceDone() {
    String a = gone("a");

    removals.remove(a, "h1");
    removals.remove(a, "h1"); // asked again while it is on its way

    assertEquals(List.of(a + " on h1"), vms.removed());
    assertEquals(1, vms.attempts());
    assertEquals(1, removals.pending().size(), "done, not yet taken in by a tick");
    assertEquals(0, removals.settle());
    assertEquals(List.of(), removals.pending());
  }

  @Test
  void aFailingRemovalIsTriedAgainAfterGrowingPausesUntilItWorks() {
    String a = gone("a");
    vms.fail(3);

    removals.remove(a, "h1");
    removals.remove(a, "h1"); // a waiting removal is not started twice
    assertEquals(1, worker.waiting());
    worker.retryAll();
    worker.retryAll();
    assertEquals(1, removals.settle(), "still failing");
    worker.retryAll();

    assertEquals(4, vms.attempts());
    assertEquals(List.of(a + " on h1"), vms.removed());
    assertEquals(
        List.of(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40)),
        worker.pauses());
    assertEquals(0, worker.waiting());
    assertEquals(0, removals.settle());
  }

  @Test
  void closingDropsTheRetriesAndRefusesLaterRemovalsWithoutThrowing() {
    String a = gone("a");
    String b = gone("b");
    vms.fail(1);
    removals.remove(a, "h1");

    removals.close();
    removals.remove(b, "h2");

    assertTrue(worker.closed());
    assertEquals(0, worker.waiting());
    assertEquals(1, vms.attempts(), "neither a's retry nor b's removal ran");
    assertEquals(List.of(new Removal(a, "h1")), removals.pending());
  }

  /** An agent that ran on h1 and is gone (retired). */
  private String gone(String id) {
    states.agent(id, 1024, "h1", false);
    states.state().apply(new AgentPhaseChanged(id, AgentPhase.GONE, T0, "retired"));
    return id;
  }
}
