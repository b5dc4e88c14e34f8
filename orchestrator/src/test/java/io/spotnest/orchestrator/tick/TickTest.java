package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.placement.Limits;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.port.PoolReclamation;
import io.spotnest.orchestrator.port.PoolSignals;
import io.spotnest.orchestrator.port.SpotHostView;
import io.spotnest.orchestrator.testing.Rig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TickTest {
  private final Rig rig = new Rig();

  private Instant at(int seconds) {
    return rig.clock.instant().plusSeconds(seconds);
  }

  private PoolSignals signalsOf(io.spotnest.orchestrator.model.PoolKey pool) {
    return rig.strategy.lastPools.stream()
        .filter(p -> p.pool().equals(pool))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aNoticeIsItsHostsOnlyAndItsAgentsLeaveWithTheProvidersAbsoluteDeadline() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String h2 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.agent(h1, 2048, true);
    String a2 = rig.agent(h2, 2048, true);
    rig.start();
    Instant deadline = at(120);
    rig.world.event(new FleetEvent.Notice("sqs-1", h1, "sqs", rig.clock.instant(), deadline));

    TickReport r = rig.o().tick();

    assertEquals(List.of(a1), r.forcedStarted().stream().map(MoveOrder::agentId).toList());
    assertEquals(
        deadline,
        r.forcedStarted().get(0).deadline(),
        "the provider's deadline, not a relative one");
    assertEquals(AgentPhase.MIGRATING, rig.o().state().findAgent(a1).orElseThrow().phase());
    assertEquals(AgentPhase.BUSY, rig.o().state().findAgent(a2).orElseThrow().phase());
    assertEquals(HostPhase.DRAINING, rig.o().state().findHost(h1).orElseThrow().phase());
    assertEquals(HostPhase.READY, rig.o().state().findHost(h2).orElseThrow().phase());
    SpotHostView v1 =
        rig.strategy.lastHosts.stream()
            .filter(h -> h.hostId().equals(h1))
            .findFirst()
            .orElseThrow();
    SpotHostView v2 =
        rig.strategy.lastHosts.stream()
            .filter(h -> h.hostId().equals(h2))
            .findFirst()
            .orElseThrow();
    assertEquals(java.util.Optional.of(deadline), v1.notice());
    assertEquals(java.util.Optional.empty(), v2.notice());
    assertEquals("use1-az1", signalsOf(SPOT_A).pool().zoneId());
    assertEquals(1, signalsOf(SPOT_A).reclamations().size());
    assertEquals(0, signalsOf(SPOT_B).reclamations().size());
    assertTrue(rig.world.acknowledged().contains("sqs-1"));
  }

  @Test
  void theSameReclamationThroughSqsAndImdsCountsOnce() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    rig.agent(h1, 2048, true);
    rig.start();
    rig.world.event(new FleetEvent.Notice("sqs-7", h1, "sqs", rig.clock.instant(), at(120)));
    rig.world.event(
        new FleetEvent.Notice("imds-sha256-ab", h1, "imds", rig.clock.instant(), at(120)));

    TickReport r = rig.o().tick();

    assertEquals(1, r.forcedStarted().size());
    assertEquals(1, signalsOf(SPOT_A).reclamations().size());
    assertEquals(1, r.ignored().size(), r.ignored().toString());
    assertTrue(r.ignored().get(0).contains("notice already recorded"), r.ignored().toString());
    rig.world.reclaim(h1);
    rig.o().tick();
    assertEquals(
        1, signalsOf(SPOT_A).reclamations().size(), "the host's end is the same reclamation");
  }

  @Test
  void aHostWeTerminatedOurselvesIsNotAReclamation() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.start();
    rig.world.event(new FleetEvent.Rebalance("rb-1", h1, "sqs", rig.clock.instant()));
    TickReport r = rig.o().tick();
    assertEquals(1, r.hostsRetired(), "an empty host at risk is retired");
    rig.world.listFails(true);
    rig.o().tick();
    assertEquals(
        HostPhase.GONE,
        rig.o().state().findHost(h1).orElseThrow().phase(),
        "learnt from the event");
    rig.world.listFails(false);
    rig.o().tick();
    assertEquals(HostPhase.GONE, rig.o().state().findHost(h1).orElseThrow().phase());
    assertTrue(rig.world.terminated().contains(h1));
    assertEquals(0, signalsOf(SPOT_A).reclamations().size());
    assertTrue(rig.o().lostBuilds().isEmpty());
  }

  @Test
  void forcedEvacuationsGoEarliestDeadlineFirstAndNeverWaitBehindVoluntaryMoves() {
    rig.limits = new Limits(20, 200, 1, 1, 0.2);
    String late = rig.host(SPOT_A, Market.SPOT);
    String early = rig.host(SPOT_B, Market.SPOT);
    String risky = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String aLate = rig.agent(late, 2048, true);
    String aEarly = rig.agent(early, 2048, true);
    String aRisky = rig.agent(risky, 2048, true);
    rig.start();
    rig.strategy.evacuations.add(new Evacuation(aRisky, risky, at(900), false, "risk"));
    rig.world.event(new FleetEvent.Notice("n-late", late, "sqs", rig.clock.instant(), at(110)));
    rig.world.event(new FleetEvent.Notice("n-early", early, "sqs", rig.clock.instant(), at(100)));

    TickReport first = rig.o().tick();
    assertEquals(List.of(aEarly), first.forcedStarted().stream().map(MoveOrder::agentId).toList());
    assertEquals(1, first.forcedWaiting());
    assertTrue(
        first.voluntaryStarted().isEmpty(),
        "the voluntary move must not take a slot while forced work waits");

    rig.world.completeMoves();
    TickReport second = rig.o().tick();
    assertEquals(List.of(aLate), second.forcedStarted().stream().map(MoveOrder::agentId).toList());
    assertTrue(second.voluntaryStarted().isEmpty());

    rig.world.completeMoves();
    TickReport third = rig.o().tick();
    assertEquals(
        List.of(aRisky), third.voluntaryStarted().stream().map(MoveOrder::agentId).toList());
    assertEquals(at(900), third.voluntaryStarted().get(0).deadline());
  }

  @Test
  void aRebalanceRaisesRiskAndStopsPlacementButMovesNothing() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String h2 = rig.host(SPOT_B, Market.SPOT);
    rig.agent(h1, 2048, true);
    rig.agent(h1, 2048, true);
    rig.start();
    rig.world.event(new FleetEvent.Rebalance("rb-1", h1, "imds", rig.clock.instant()));

    TickReport r = rig.o().tick();
    String a3 = rig.o().requestAgent(2048, Duration.ofHours(1));
    rig.o().tick();

    assertEquals(HostPhase.AT_RISK, rig.o().state().findHost(h1).orElseThrow().phase());
    assertTrue(r.forcedStarted().isEmpty() && r.voluntaryStarted().isEmpty(), "no mass migration");
    assertTrue(rig.world.movesInFlight().isEmpty());
    assertEquals(
        h2,
        rig.o().state().findAgent(a3).orElseThrow().hostId(),
        "nothing new lands on the host at risk");
    assertTrue(
        signalsOf(SPOT_A).rebalanceAt().isPresent(),
        "the pool's risk signal carries the recommendation");
    assertTrue(signalsOf(SPOT_B).rebalanceAt().isEmpty());
  }

  @Test
  void aVoluntaryMoveWaitsForAReadyDestinationMakeBeforeBreak() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String a1 = rig.agent(h1, 2048, true);
    rig.world.launchRuns(false);
    rig.start();
    rig.strategy.evacuations.add(new Evacuation(a1, h1, at(1800), false, "pool risk rising"));

    TickReport first = rig.o().tick();
    assertTrue(first.voluntaryStarted().isEmpty());
    assertEquals(1, first.hostsLaunched(), "a destination is launched ahead");
    assertEquals(
        HostPhase.AT_RISK,
        rig.o().state().findHost(h1).orElseThrow().phase(),
        "source closed at once");
    String pending =
        rig.world.hosts().values().stream()
            .filter(h -> h.market() == Market.ON_DEMAND)
            .findFirst()
            .orElseThrow()
            .id();
    TickReport second = rig.o().tick();
    assertTrue(
        second.voluntaryStarted().isEmpty(),
        "the destination is not ready yet: the source is not touched");
    assertEquals(0, second.hostsLaunched(), "capacity already launching counts");
    assertEquals(AgentPhase.BUSY, rig.o().state().findAgent(a1).orElseThrow().phase());

    rig.world.run(pending);
    TickReport third = rig.o().tick();
    assertEquals(1, third.voluntaryStarted().size());
    assertEquals(pending, third.voluntaryStarted().get(0).to());
    assertEquals(
        HostPhase.AT_RISK,
        rig.o().state().findHost(h1).orElseThrow().phase(),
        "source closed first");
  }

  @Test
  void noVoluntaryActionUntilJournalCloudAndHypervisorAgree() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String h2 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.agent(h1, 2048, true);
    String a2 = rig.agent(h2, 2048, true);
    rig.create();
    rig.strategy.evacuations.add(new Evacuation(a1, h1, at(1800), false, "risk"));
    rig.world.event(new FleetEvent.Notice("n-1", h2, "sqs", rig.clock.instant(), at(120)));

    TickReport notReconciled = rig.o().tick();
    assertFalse(notReconciled.synced());
    assertEquals(
        List.of(a2),
        notReconciled.forcedStarted().stream().map(MoveOrder::agentId).toList(),
        "forced work runs even when not synced");
    assertTrue(notReconciled.voluntaryStarted().isEmpty());

    rig.o().reconcile();
    rig.world.listFails(true);
    TickReport cloudDown = rig.o().tick();
    assertFalse(cloudDown.synced());
    assertTrue(cloudDown.voluntaryStarted().isEmpty());

    rig.world.listFails(false);
    TickReport ok = rig.o().tick();
    assertTrue(ok.synced());
    assertEquals(1, ok.voluntaryStarted().size());
  }

  @Test
  void reclamationsTheMarketSawInAPoolReachThatPoolsSignalsOnceEach() {
    rig.host(SPOT_A, Market.SPOT);
    rig.host(SPOT_B, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    rig.start();
    Instant seen = rig.clock.instant().minusSeconds(600);
    rig.world.marketReclamation(new PoolReclamation(SPOT_A, "trace-a-1", seen));

    rig.o().tick();
    rig.o().tick();

    assertEquals(
        List.of(seen),
        signalsOf(SPOT_A).reclamations(),
        "counted once, though reported every tick");
    assertEquals(
        List.of(),
        signalsOf(SPOT_B).reclamations(),
        "another pool's reclamation is not this pool's");
  }

  @Test
  void requestedAgentsArePackedOntoLaunchedHostsWithinTheLimits() {
    rig.limits = new Limits(2, 5, 2, 1, 0.2);
    rig.start();
    rig.world.quote(new MarketQuote(SPOT_A, rig.clock.instant(), 0.1, 0.4, OptionalInt.of(0)));
    rig.strategy.risk.put(SPOT_A, 0.01);
    rig.strategy.risk.put(SPOT_B, 0.10);
    for (int i = 0; i < 5; i++) {
      rig.o().requestAgent(3072, Duration.ofHours(1));
    }
    IllegalStateException full =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> rig.o().requestAgent(1024, Duration.ofHours(1)));
    assertTrue(full.getMessage().contains("agent limit"));

    rig.o().tick();
    rig.o().tick();
    rig.o().tick();

    assertEquals(2, rig.world.hosts().size(), "the host limit holds");
    assertTrue(
        rig.world.hosts().values().stream().allMatch(h -> h.pool().equals(SPOT_A)),
        "the low-risk pool");
    assertEquals(
        4, rig.world.copies().size(), "two 3 GiB agents fit on each 8 GiB host; the fifth waits");
    assertTrue(signalsOf(SPOT_A).quote().isPresent());
    assertTrue(rig.world.violations().isEmpty(), rig.world.violations().toString());
  }

  @Test
  void aWarmOnDemandPoolIsReadyBeforeTheNoticeSoTheEvacuationStartsAtOnce() {
    rig.warm = 1;
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String a1 = rig.agent(h1, 2048, true);
    rig.start();
    assertEquals(1, rig.o().tick().hostsLaunched(), "the warm host is launched before any notice");
    TickReport idle = rig.o().tick();
    assertEquals(
        0, idle.hostsLaunched() + idle.hostsRetired(), "kept warm, not relaunched nor retired");
    String warm =
        rig.world.hosts().values().stream()
            .filter(h -> h.market() == Market.ON_DEMAND)
            .findFirst()
            .orElseThrow()
            .id();

    rig.world.event(new FleetEvent.Notice("n-1", h1, "sqs", rig.clock.instant(), at(120)));
    TickReport r = rig.o().tick();

    assertEquals(List.of(a1), r.forcedStarted().stream().map(MoveOrder::agentId).toList());
    assertEquals(warm, r.forcedStarted().get(0).to());
    assertEquals(1, r.hostsLaunched(), "the warm pool is refilled once its host is taken");
  }

  @Test
  void anEvacuationWaitingOnlyForAMigrationSlotLaunchesNothing() {
    rig.limits = new Limits(20, 200, 1, 1, 0.2);
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    rig.agent(h1, 2048, true);
    rig.agent(h1, 2048, true);
    rig.start();
    rig.world.event(new FleetEvent.Notice("n-1", h1, "sqs", rig.clock.instant(), at(120)));
    TickReport r = rig.o().tick();
    assertEquals(1, r.forcedStarted().size());
    assertEquals(1, r.forcedWaiting());
    assertEquals(0, r.hostsLaunched(), "the destination has room; only the slot is missing");
  }

  @Test
  void aLaunchThatNeverRunsIsGivenUpAfterItsTimeoutAndTriedAgain() {
    rig.start();
    rig.world.launchRuns(false);
    String a = rig.o().requestAgent(2048, Duration.ofHours(1));
    assertEquals(1, rig.o().tick().hostsLaunched());
    String stuck = rig.world.hosts().keySet().iterator().next();
    rig.clock.advance(Duration.ofMinutes(4));
    assertEquals(0, rig.o().tick().hostsLaunched(), "still within the launch timeout");

    rig.clock.advance(Duration.ofMinutes(2));
    TickReport r = rig.o().tick();

    assertTrue(
        rig.world.terminated().contains(stuck), "the pending host is terminated, not leaked");
    assertEquals(1, r.hostsLaunched(), "a new launch replaces it");
    assertEquals(1, rig.o().state().launching().size());
    assertEquals(AgentPhase.REQUESTED, rig.o().state().findAgent(a).orElseThrow().phase());
    assertTrue(rig.world.violations().isEmpty(), rig.world.violations().toString());
  }
}
