package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.LostBuild;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.testing.Rig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Faults at the ports: hosts vanishing mid-move, and a storm of bad events. */
class FaultTest {
  private final Rig rig = new Rig();

  private Instant at(int seconds) {
    return rig.clock.instant().plusSeconds(seconds);
  }

  @Test
  void destinationLostMidMoveLeavesTheVmOnTheSourceAndAnotherDestinationIsTried() {
    String src = rig.host(SPOT_A, Market.SPOT);
    String d1 = rig.host(OD, Market.ON_DEMAND);
    String d2 = rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(src, 2048, true);
    rig.agent(d1, 2048, true); // d1 is fuller, so it is tried first
    rig.start();
    rig.world.event(new FleetEvent.Notice("n-1", src, "sqs", rig.clock.instant(), at(120)));
    MoveOrder first = rig.o().tick().forcedStarted().get(0);
    assertEquals(d1, first.to());

    rig.world.vanish(d1);
    TickReport second = rig.o().tick();

    Agent after = rig.o().state().findAgent(a).orElseThrow();
    assertEquals(1, second.forcedStarted().size(), "a second destination is tried at once");
    assertEquals(d2, second.forcedStarted().get(0).to());
    assertEquals(src, after.hostId(), "still on the source while the second move runs");
    assertEquals(Map.of(a, List.of(src)), Map.of(a, rig.world.copies().get(a)));
    assertTrue(
        rig.o().lostBuilds().stream().noneMatch(l -> l.agentId().equals(a)),
        "the moving agent is not lost");
    rig.world.completeMoves();
    rig.o().tick();
    assertEquals(d2, rig.o().state().findAgent(a).orElseThrow().hostId());
    assertEquals(AgentPhase.BUSY, rig.o().state().findAgent(a).orElseThrow().phase());
  }

  @Test
  void sourceLostBeforeTheCopyEndsIsALostBuildRecordedWithTheHostAndRequeued() {
    String src = rig.host(SPOT_A, Market.SPOT);
    String dst = rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(src, 2048, true);
    rig.start();
    rig.world.event(new FleetEvent.Notice("n-1", src, "sqs", rig.clock.instant(), at(120)));
    rig.o().tick();

    rig.world.reclaim(src);
    rig.o().tick();

    assertEquals(AgentPhase.GONE, rig.o().state().findAgent(a).orElseThrow().phase());
    List<LostBuild> lost = rig.o().lostBuilds();
    assertEquals(1, lost.size());
    assertEquals(a, lost.get(0).agentId());
    assertEquals(src, lost.get(0).hostId());
    assertTrue(
        lost.get(0).reason().contains("source host " + src + " vanished"), lost.get(0).reason());
    Agent requeued = rig.o().state().findAgent(lost.get(0).requeuedAs()).orElseThrow();
    assertEquals(a, requeued.replaces());
    assertEquals(2048, requeued.ramMiB());
    assertNotEquals(AgentPhase.GONE, requeued.phase());
    assertEquals(dst, requeued.hostId(), "requeued and placed again on the live host");
    assertTrue(rig.o().state().moves().isEmpty());
    assertEquals(HostPhase.GONE, rig.o().state().findHost(src).orElseThrow().phase());
  }

  @Test
  void aSourceLostWhileTheMoverSettlesAMoveThatSwitchedOverLeavesTheBuildOnTheDestination() {
    String src = rig.host(SPOT_A, Market.SPOT);
    String dst = rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(src, 2048, true);
    rig.start();
    rig.world.event(new FleetEvent.Notice("n-1", src, "sqs", rig.clock.instant(), at(120)));
    MoveOrder move = rig.o().tick().forcedStarted().get(0);
    rig.world.switchOverSettling(move.moveId()); // the engine still probes the dying source

    rig.world.reclaim(src);
    rig.o().tick();
    rig.world.completeMoves(); // the engine's verdict: a success on the destination
    rig.o().tick();

    assertEquals(List.of(), rig.o().lostBuilds(), "the build survived the move");
    Agent after = rig.o().state().findAgent(a).orElseThrow();
    assertEquals(AgentPhase.BUSY, after.phase());
    assertEquals(dst, after.hostId());
    assertEquals(
        Map.of(a, List.of(dst)), rig.world.copies(), "one VM of the build, where the model says");
    assertTrue(rig.world.violations().isEmpty(), rig.world.violations().toString());
  }

  @Test
  void aMoveEndingOnAHostReportedGoneButStillAnsweringLeavesNoVmThere() {
    Rig.MovingAgent m = startAMoveOntoADestinationWronglyReportedGone();
    rig.world.completeMoves(); // the VM switches over to dst
    rig.o().tick();

    assertRecordedLostWithNoVmLeftOn(m.agent(), m.destination());
  }

  @Test
  void aBootThatFailsAfterTheVmStartedIsALostBuildAndLeavesNoVmThere() {
    String h = rig.host(OD, Market.ON_DEMAND);
    rig.start();
    String a = rig.o().requestAgent(2048, java.time.Duration.ofHours(1));
    rig.world.bootsTimeOutOn(h, true); // the VM starts, the call times out
    rig.o().tick();
    rig.world.bootsTimeOutOn(h, false);

    assertEquals(AgentPhase.GONE, rig.o().state().findAgent(a).orElseThrow().phase());
    LostBuild lost = rig.o().lostBuilds().get(0);
    assertEquals(a, lost.agentId());
    assertNoVmOfTheLostAgentOn(a, h);
    rig.o().tick();
    assertEquals(
        Map.of(lost.requeuedAs(), List.of(h)),
        rig.world.copies(),
        "only the requeued agent's VM runs");
    assertTrue(rig.world.violations().isEmpty(), rig.world.violations().toString());
  }

  @Test
  void aSourceLostAfterASwitchOverOntoADestinationReportedGoneIsALostBuildAndLeavesNoVm() {
    Rig.MovingAgent m = startAMoveOntoADestinationWronglyReportedGone();
    rig.world.completeMoves(); // the VM switches over to dst
    rig.world.vanish(m.source()); // and src is gone before the tracker saw the move end
    rig.o().tick();

    assertRecordedLostWithNoVmLeftOn(m.agent(), m.destination());
  }

  /**
   * A forced move off a noticed spot host onto an on-demand host (dst) that is then reported gone
   * wrongly: dst keeps running, and the move onto it; ticked once after the report.
   */
  private Rig.MovingAgent startAMoveOntoADestinationWronglyReportedGone() {
    Rig.MovingAgent m = rig.startAForcedMove();
    assertEquals(m.destination(), m.move().to());
    rig.reportGone(m.destination(), "terminated");
    rig.o().tick();
    return m;
  }

  /**
   * The agent is gone and recorded lost naming {@code host}, the vanished host it was left on (what
   * the admin page and the build log show), no VM of it runs on host, and no invariant broke.
   */
  private void assertRecordedLostWithNoVmLeftOn(String agent, String host) {
    assertEquals(AgentPhase.GONE, rig.o().state().findAgent(agent).orElseThrow().phase());
    LostBuild lost =
        rig.o().lostBuilds().stream()
            .filter(l -> l.agentId().equals(agent))
            .findFirst()
            .orElseThrow(() -> new AssertionError("not recorded lost: " + rig.o().lostBuilds()));
    assertEquals(host, lost.hostId(), "the host that vanished with the build: " + lost);
    assertTrue(lost.reason().contains(host), lost.reason());
    assertNoVmOfTheLostAgentOn(agent, host);
    assertTrue(rig.world.violations().isEmpty(), rig.world.violations().toString());
  }

  private void assertNoVmOfTheLostAgentOn(String agent, String host) {
    assertEquals(
        List.of(),
        rig.world.copies().getOrDefault(agent, List.of()),
        "no VM of the lost agent is left running on " + host);
  }

  @Test
  void aRetiredAgentsVmWhoseHostDidNotAnswerIsRemovedByALaterTry() {
    String h = rig.host(SPOT_A, Market.SPOT);
    String a = rig.agent(h, 2048, false);
    rig.start();
    rig.world.removalsFailOn(h, true);
    rig.o().retireAgent(a);
    rig.o().tick();
    assertEquals(1, rig.removals().waiting(), "the removal waits for its next try");
    rig.world.removalsFailOn(h, false);
    rig.removals().retryAll();
    rig.o().tick();

    assertEquals(AgentPhase.GONE, rig.o().state().findAgent(a).orElseThrow().phase());
    assertEquals(
        Map.of(), rig.world.copies(), "the retired agent's VM is removed once " + h + " answers");
    assertTrue(rig.world.violations().isEmpty(), rig.world.violations().toString());
  }

  @Test
  void aCancelledAgentsVmWhoseHostDidNotAnswerIsRemovedByALaterTry() {
    String h = rig.host(OD, Market.ON_DEMAND);
    rig.start();
    String a = rig.o().requestAgent(2048, java.time.Duration.ofHours(1));
    rig.o().tick();
    assertEquals(AgentPhase.BOOTING, rig.o().state().findAgent(a).orElseThrow().phase());
    rig.world.removalsFailOn(h, true);
    rig.o().cancelAgent(a);
    rig.o().tick();
    rig.world.removalsFailOn(h, false);
    rig.removals().retryAll();
    rig.o().tick();

    assertEquals(
        Map.of(), rig.world.copies(), "the cancelled agent's VM is removed once " + h + " answers");
    assertTrue(rig.world.violations().isEmpty(), rig.world.violations().toString());
  }

  @Test
  void aStormOfBadEventsIsLoggedAndIgnoredAndEveryEventIsAcknowledged() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String h2 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.agent(h1, 2048, true);
    rig.start();
    rig.world.reclaim(h2);
    rig.o().tick();
    rig.world.acknowledged().clear();
    Instant now = rig.clock.instant();
    List<FleetEvent> storm =
        List.of(
            new FleetEvent.Notice("x-1", "i-unknown", "sqs", now, at(120)),
            new FleetEvent.Notice("x-2", h2, "sqs", now, at(120)),
            new FleetEvent.Rebalance("x-3", h2, "imds", now.minusSeconds(600)),
            new FleetEvent.Gone("x-4", "i-nobody", "sqs", now, "terminated"),
            new FleetEvent.Notice("x-5", h1, "sqs", now, at(120)),
            new FleetEvent.Notice("x-5", h1, "sqs", now, at(120)),
            new FleetEvent.Notice("x-6", h1, "imds", now, at(90)),
            new FleetEvent.Rebalance("x-7", h1, "imds", now.minusSeconds(30)));
    storm.forEach(rig.world::event);

    TickReport r = rig.o().tick();

    assertEquals(7, r.ignored().size(), String.join("\n", r.ignored()));
    assertTrue(
        r.ignored().stream().anyMatch(l -> l.contains("i-unknown") && l.contains("unknown host")));
    assertTrue(r.ignored().stream().anyMatch(l -> l.contains("x-2") && l.contains("already gone")));
    assertTrue(r.ignored().stream().anyMatch(l -> l.contains("x-3") && l.contains("already gone")));
    assertTrue(
        r.ignored().stream().anyMatch(l -> l.contains("x-5") && l.contains("duplicate event id")));
    assertTrue(r.ignored().stream().anyMatch(l -> l.contains("notice already recorded")));
    assertTrue(r.ignored().stream().anyMatch(l -> l.contains("x-7") && l.contains("DRAINING")));
    assertEquals(
        at(90),
        rig.o().state().findHost(h1).orElseThrow().noticeDeadline(),
        "the earliest notice is handled first, whatever the arrival order");
    assertEquals(List.of(a1), r.forcedStarted().stream().map(MoveOrder::agentId).toList());
    assertTrue(
        rig.world.pendingEvents().isEmpty(), "all acknowledged: " + rig.world.pendingEvents());
    assertTrue(rig.world.violations().isEmpty(), rig.world.violations().toString());
    assertTrue(rig.o().lostBuilds().isEmpty(), "nothing lost: h2 had no agent, h1's is moving");
  }

  @Test
  void whenTheStrategyOrTheMarketFeedFailsNoticesAreStillEvacuatedAndVoluntaryWorkStops() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.agent(h1, 2048, true);
    rig.start();
    rig.strategy.failure = new IllegalStateException("model file unreadable");
    rig.world.quotesFail(true);
    rig.world.event(new FleetEvent.Notice("n-1", h1, "sqs", rig.clock.instant(), at(120)));

    TickReport r = rig.o().tick();

    assertEquals(List.of(a1), r.forcedStarted().stream().map(MoveOrder::agentId).toList());
    assertTrue(!r.synced(), "no voluntary action on a failed assessment");
  }

  @Test
  void aRestartWhileTheCloudCannotBeListedKeepsVoluntaryWorkOff() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.agent(h1, 2048, true);
    rig.world.listFails(true);
    rig.start();
    rig.world.listFails(false);
    rig.strategy.evacuations.add(
        new io.spotnest.orchestrator.port.Evacuation(a1, h1, at(1800), false, "risk"));

    TickReport r = rig.o().tick();

    assertTrue(
        !r.synced() && r.voluntaryStarted().isEmpty(),
        "reconcile did not see the cloud: not synced");
  }
}
