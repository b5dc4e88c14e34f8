package io.spotnest.orchestrator.facade;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.journal.JournalRecord.OperatorAction;
import io.spotnest.orchestrator.journal.JournalRecord.OperatorRequested;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.MarketPolicy;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.testing.HandRemovalWorker;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.orchestrator.tick.TickReport;
import io.spotnest.orchestrator.view.FleetSnapshot;
import io.spotnest.orchestrator.view.HostSnapshot;
import io.spotnest.orchestrator.view.MoveRecord;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class FleetRuntimeTest {
  private final Rig rig = new Rig();

  private FleetRuntime start() {
    return FleetRuntime.start(
        rig.clock,
        rig.journal,
        new Orchestrator.Ports(rig.world, rig.world, rig.world, rig.world, rig.strategy),
        new FleetConfig(
            Rig.OFFERS, rig.limits, rig.warm, 0.05, Duration.ofMinutes(30), Duration.ofMinutes(5)),
        rig.ids(),
        Duration.ofMinutes(20),
        new HandRemovalWorker()); // a removal's first try on the caller's thread: no race
  }

  private <T> List<T> journaled(Class<T> type) {
    return rig.journal.replay().stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void anAgentRequestIsJournaledUnderTheCallersNameWithItsTemplateAndPolicyOnce() {
    rig.host(OD, Market.ON_DEMAND);
    FleetRuntime f = start();
    AgentOrder order =
        new AgentOrder(
            "jenkins-ab12", "linux big", 2048, MarketPolicy.ON_DEMAND_ONLY, Duration.ofMinutes(40));

    f.requestAgent(order);
    f.requestAgent(order);

    List<AgentRequested> requested = journaled(AgentRequested.class);
    assertEquals(1, requested.size(), "a retried request is not a second agent");
    assertEquals("jenkins-ab12", requested.get(0).agentId());
    assertEquals("linux big", requested.get(0).template());
    assertEquals("ON_DEMAND_ONLY", requested.get(0).marketPolicy());
    var shown = f.view().snapshot().agents().get(0);
    assertEquals("linux big", shown.template());
    assertEquals(AgentPhase.REQUESTED, shown.phase());
    f.tick();
    assertEquals(AgentPhase.BOOTING, f.view().snapshot().agents().get(0).phase());
  }

  @Test
  void aNoticeMoveShowsWithItsReasonDurationPauseAndTheRiskAndCostSoFar() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(spot, 2048, true);
    rig.world.quote(new MarketQuote(SPOT_A, rig.clock.instant(), 0.30, 1.00, OptionalInt.empty()));
    rig.strategy.risk.put(SPOT_A, 0.4);
    FleetRuntime f = start();
    f.tick();
    rig.clock.advance(Duration.ofHours(1));
    rig.world.event(
        new FleetEvent.Notice(
            "sqs-1", spot, "sqs", rig.clock.instant(), rig.clock.instant().plusSeconds(120)));
    f.tick();
    rig.clock.advance(Duration.ofSeconds(10));
    rig.world.completeMoves(Duration.ofMillis(9_500), Duration.ofMillis(180));
    f.tick();

    FleetSnapshot s = f.view().snapshot();
    MoveRecord m = s.moves().get(0);
    assertEquals(agent, m.agentId());
    assertEquals(spot, m.from());
    assertEquals(od, m.to());
    assertEquals("interruption notice", m.reason());
    assertTrue(m.forced());
    assertEquals(0.4, m.sourceRisk());
    assertEquals(MoveRecord.Outcome.MOVED, m.outcome());
    assertEquals(Duration.ofMillis(9_500), m.took());
    assertEquals(Duration.ofMillis(180), m.paused());
    var poolA = s.risk().stream().filter(p -> p.pool().equals(SPOT_A)).findFirst().orElseThrow();
    assertEquals(3, poolA.points().size(), "one point per tick");
    assertEquals(0.4, poolA.latest());
    HostSnapshot spotHost =
        s.hosts().stream().filter(h -> h.id().equals(spot)).findFirst().orElseThrow();
    assertEquals(0.4, spotHost.risk());
    // first hour: one spot host at 0.30 and one on-demand host at 1.00, against 2 x 1.00 all on
    // demand
    assertEquals(1.30, s.cost().costUsd(), 0.01);
    assertEquals(2.00, s.cost().allOnDemandUsd(), 0.01);
    assertTrue(s.cost().savingPct() > 30);
  }

  @Test
  void aStandingCopyFlushShowsOnTheDashboardAsSuchAndTheAgentRunsOnTheBackup() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String agent = rig.copyAgent(spot, 2048, true);
    rig.strategy.standingCopies.add(agent); // through the operator lane, the plan's copies pass
    FleetRuntime f = start();
    f.tick();
    rig.strategy.standingCopies.clear();
    rig.world.event(
        new FleetEvent.Notice(
            "sqs-1", spot, "sqs", rig.clock.instant(), rig.clock.instant().plusSeconds(120)));
    f.tick();
    f.tick();

    MoveRecord m = f.view().snapshot().moves().get(0);
    assertEquals(od, m.to());
    assertTrue(m.reason().contains("standing-copy flush"), m.reason());
    assertEquals(MoveRecord.Outcome.MOVED, m.outcome());
    assertEquals(Duration.ofMillis(1900), m.paused());
    assertEquals(
        od,
        f.view().snapshot().agents().stream()
            .filter(a -> a.id().equals(agent))
            .findFirst()
            .orElseThrow()
            .hostId());
  }

  @Test
  void aLostBuildShowsTheVanishedHost() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(spot, 2048, true);
    FleetRuntime f = start();
    rig.world.vanish(spot);
    f.tick();

    var lost = f.view().snapshot().lost();
    assertEquals(1, lost.size());
    assertEquals(agent, lost.get(0).agentId());
    assertEquals(spot, lost.get(0).hostId());
    assertNotEquals(null, lost.get(0).requeuedAs());
  }

  @Test
  void migrateNowIsJournaledAndRunsInTheVoluntaryLaneAtTheNextTick() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(spot, 2048, true);
    FleetRuntime f = start();

    String request = f.migrateNow(agent);

    assertEquals(
        List.of(
            new OperatorRequested(request, OperatorAction.MIGRATE_NOW, agent, rig.clock.instant())),
        journaled(OperatorRequested.class));
    assertTrue(rig.world.movesInFlight().isEmpty(), "nothing moves before the tick");
    TickReport r = f.tick();
    assertEquals(List.of(agent), r.voluntaryStarted().stream().map(MoveOrder::agentId).toList());
    assertTrue(r.forcedStarted().isEmpty());
    MoveRecord m = f.view().snapshot().moves().get(0);
    assertEquals(od, m.to());
    assertFalse(m.forced());
    assertEquals("operator: migrate now (" + request + ")", m.reason());
    assertTrue(f.tick().voluntaryStarted().isEmpty(), "the request is done once its move started");
  }

  @Test
  void aPendingMigrateNowSurvivesARestart() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(spot, 2048, true);
    start().migrateNow(agent);

    FleetRuntime restarted = start();

    assertEquals(
        List.of(agent),
        restarted.tick().voluntaryStarted().stream().map(MoveOrder::agentId).toList());
  }

  @Test
  void theReplayedSnapshotHoldsWhatEarlierRunsSawNotWhatReconcileFinds() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String other = rig.host(io.spotnest.orchestrator.testing.States.SPOT_B, Market.SPOT);
    String moved = rig.agent(spot, 2048, true);
    String doomed = rig.agent(other, 1024, true);
    FleetRuntime first = start();
    first.migrateNow(moved);
    first.tick();
    rig.world.completeMoves();
    first.tick();
    assertEquals(od, first.view().snapshot().moves().get(0).runningOn());
    rig.world.vanish(other);

    FleetRuntime second = start();

    assertEquals(1, second.replayed().moves().size());
    assertTrue(
        second.replayed().lost().isEmpty(), "the loss is found by reconcile, after the replay");
    assertEquals(
        List.of(doomed), second.view().snapshot().lost().stream().map(l -> l.agentId()).toList());
  }

  @Test
  void migrateNowRefusesUnknownOrUnmovableAgentsWithoutJournaling() {
    rig.host(OD, Market.ON_DEMAND);
    FleetRuntime f = start();
    f.requestAgent(
        new AgentOrder("queued", "linux", 1024, MarketPolicy.PREFER_SPOT, Duration.ofMinutes(5)));
    assertThrows(IllegalArgumentException.class, () -> f.migrateNow("nobody"));
    assertThrows(IllegalStateException.class, () -> f.migrateNow("queued"));
    assertTrue(journaled(OperatorRequested.class).isEmpty());
  }

  @Test
  void aDrainedHostTakesNoNewAgentAndItsAgentsMoveOff() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(spot, 2048, false);
    FleetRuntime f = start();

    f.drainHost(spot);
    assertEquals(
        HostPhase.DRAINING,
        f.view().snapshot().hosts().stream()
            .filter(h -> h.id().equals(spot))
            .findFirst()
            .orElseThrow()
            .phase());
    f.requestAgent(
        new AgentOrder("new-one", "linux", 1024, MarketPolicy.PREFER_SPOT, Duration.ofMinutes(5)));
    TickReport r = f.tick();

    assertEquals(List.of(agent), r.voluntaryStarted().stream().map(MoveOrder::agentId).toList());
    assertEquals(od, r.voluntaryStarted().get(0).to());
    assertEquals(
        od,
        f.view().snapshot().agents().stream()
            .filter(a -> a.id().equals("new-one"))
            .findFirst()
            .orElseThrow()
            .hostId(),
        "never on the drained host");
    assertEquals(1, journaled(OperatorRequested.class).size());
    assertTrue(
        journaled(JournalRecord.HostPhaseChanged.class).stream()
            .anyMatch(h -> h.hostId().equals(spot) && h.phase() == HostPhase.DRAINING));
    assertThrows(IllegalArgumentException.class, () -> f.drainHost("i-none"));
  }

  @Test
  void anAgentThatNeverCameOnlineCanBeCancelledAndItsVmIsRemoved() {
    rig.host(OD, Market.ON_DEMAND);
    FleetRuntime f = start();
    f.requestAgent(
        new AgentOrder("booting", "linux", 1024, MarketPolicy.PREFER_SPOT, Duration.ofMinutes(5)));
    f.requestAgent(
        new AgentOrder("queued", "linux", 1024, MarketPolicy.PREFER_SPOT, Duration.ofMinutes(5)));
    f.tick();
    assertEquals(AgentPhase.BOOTING, f.view().snapshot().agents().get(0).phase());
    assertTrue(rig.world.copies().containsKey("booting"));

    f.cancelAgent("booting");

    assertFalse(rig.world.copies().containsKey("booting"), "its VM is removed");
    assertTrue(f.view().snapshot().agents().stream().noneMatch(a -> a.id().equals("booting")));
    assertTrue(
        journaled(JournalRecord.AgentPhaseChanged.class).stream()
            .anyMatch(c -> c.agentId().equals("booting") && c.phase() == AgentPhase.GONE));
    assertThrows(IllegalArgumentException.class, () -> f.cancelAgent("nobody"));
  }

  @Test
  void anAgentOnlineIsRetiredNotCancelled() {
    String od = rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(od, 1024, false);
    FleetRuntime f = start();
    assertThrows(IllegalStateException.class, () -> f.cancelAgent(agent));
    assertTrue(rig.world.copies().containsKey(agent));
  }

  @Test
  void theViewIsAnImmutableSnapshot() {
    rig.host(OD, Market.ON_DEMAND);
    FleetRuntime f = start();
    FleetSnapshot before = f.view().snapshot();
    f.requestAgent(
        new AgentOrder("a", "linux", 1024, MarketPolicy.PREFER_SPOT, Duration.ofMinutes(5)));
    assertTrue(before.agents().isEmpty(), "a published snapshot never changes");
    assertEquals(1, f.view().snapshot().agents().size());
    assertThrows(UnsupportedOperationException.class, () -> f.view().snapshot().agents().clear());
    assertNull(f.view().snapshot().agents().get(0).hostId());
  }
}
