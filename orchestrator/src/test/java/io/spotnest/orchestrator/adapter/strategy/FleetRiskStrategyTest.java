package io.spotnest.orchestrator.adapter.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.AgentView;
import io.spotnest.orchestrator.port.Assessment;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.LiveHostView;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.PoolSignals;
import io.spotnest.orchestrator.port.SpareLaunch;
import io.spotnest.strategy.fleet.CopyMode;
import io.spotnest.strategy.fleet.CopyRequest;
import io.spotnest.strategy.policy.MigrationAssumptions;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The adapter maps the orchestrator's fleet onto the real public fleet strategy and its decisions
 * back (no fakes).
 */
class FleetRiskStrategyTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final PoolKey POOL = new PoolKey("m5.4xlarge", "us-east-1b");
  static final PoolKey OD_KEY = new PoolKey("m5.4xlarge", "us-east-1b");
  static final long GIB = 1024;

  static FleetRiskStrategy.Settings settings(boolean sparesAlways) {
    return new FleetRiskStrategy.Settings(
        Duration.ofSeconds(180),
        60,
        Duration.ofMinutes(10),
        0.0,
        4,
        4,
        Duration.ofSeconds(110),
        Duration.ofSeconds(600),
        sparesAlways,
        Optional.empty(),
        0.05,
        Duration.ofMinutes(15),
        "us-east-1b",
        0.35);
  }

  static FleetRiskStrategy strategy(boolean sparesAlways) {
    return new FleetRiskStrategy(
        new HazardRiskModel(HazardParameters.DEFAULTS),
        PolicyParameters.DEFAULTS,
        new ParametricMigrationEstimator(MigrationAssumptions.DEFAULTS),
        settings(sparesAlways));
  }

  /** The strategy's decision now for {@code hosts} in a calm pool (no spares kept always). */
  static Assessment inACalmPool(LiveHostView... hosts) {
    return strategy(false).decide(NOW, List.of(calm(POOL)), List.of(hosts));
  }

  static PoolSignals calm(PoolKey pool) {
    return new PoolSignals(
        pool,
        Optional.of(new MarketQuote(pool, NOW, 0.1, 0.4, OptionalInt.of(0))),
        List.of(),
        Optional.empty());
  }

  static AgentView agent(String id, long gib, Duration onHostFor) {
    return agent(id, gib, onHostFor, CopyRequest.REFUSED);
  }

  /** As {@link #agent}, for an agent whose request asked for a standing copy. */
  static AgentView asking(String id, long gib, Duration onHostFor) {
    return agent(id, gib, onHostFor, CopyRequest.ASKED);
  }

  private static AgentView agent(String id, long gib, Duration onHostFor, CopyRequest copy) {
    return new AgentView(
        id, gib * GIB, Duration.ofMinutes(30), Duration.ofHours(2), false, onHostFor, copy, false);
  }

  static LiveHostView spot(String id, long capGiB, Optional<Instant> notice, AgentView... agents) {
    return host(id, Market.SPOT, POOL, capGiB, notice, agents);
  }

  static LiveHostView onDemand(String id, long capGiB, AgentView... agents) {
    return host(id, Market.ON_DEMAND, OD_KEY, capGiB, Optional.empty(), agents);
  }

  static LiveHostView host(
      String id,
      Market market,
      PoolKey pool,
      long capGiB,
      Optional<Instant> notice,
      AgentView... agents) {
    long used = 0;
    for (AgentView a : agents) {
      used += a.ramMiB();
    }
    return new LiveHostView(
        id,
        market,
        pool,
        capGiB * GIB,
        used,
        NOW.minusSeconds(3600),
        notice.isEmpty(),
        notice,
        false,
        NOW.minusSeconds(7200),
        List.of(agents));
  }

  @Test
  void withBurstDrainANoticeDrainsItsPoolAndEvacuatesThePoolsOtherHostsByTheBurstDeadline() {
    FleetRiskStrategy.Settings s = settings(false);
    Duration window = Duration.ofMinutes(5);
    FleetRiskStrategy burst =
        new FleetRiskStrategy(
            new HazardRiskModel(HazardParameters.DEFAULTS),
            PolicyParameters.DEFAULTS,
            new ParametricMigrationEstimator(MigrationAssumptions.DEFAULTS),
            new FleetRiskStrategy.Settings(
                s.launchTime(),
                s.onDemandRoomGiB(),
                s.minOnDemand(),
                s.crossZoneCostPerGiB(),
                s.linkShares(),
                s.hostOverheadGiB(),
                s.noticeWindow(),
                s.spareIdle(),
                s.sparesRegardlessOfHazard(),
                Optional.of(window),
                s.calmP15(),
                s.moveHorizon(),
                s.homeZone(),
                s.assumedSpotToOnDemand()));
    Instant deadline = NOW.plusSeconds(120);
    Assessment a =
        burst.decide(
            NOW,
            List.of(calm(POOL)),
            List.of(
                spot("s1", 64, Optional.of(deadline), agent("a1", 4, Duration.ofHours(1))),
                spot("s2", 64, Optional.empty(), agent("a2", 4, Duration.ofHours(1))),
                onDemand("od1", 60)));

    assertEquals(
        List.of(
            new io.spotnest.orchestrator.port.PoolDrain(
                POOL,
                NOW.plus(window),
                NOW.plus(io.spotnest.strategy.fleet.NoticeResponse.BURST_QUIET),
                "burst drain: notice for s1")),
        a.drains());
    assertEquals(
        List.of(
            new Evacuation("a1", "s1", deadline, true, "interruption notice", Optional.of("od1")),
            new Evacuation(
                "a2", "s2", NOW.plus(window), true, "interruption notice", Optional.of("od1"))),
        a.evacuations());
    assertEquals(List.of(), inACalmPool().drains());
  }

  @Test
  void aNoticeEvacuatesToAReadyOnDemandHostWithTheProvidersDeadline() {
    Instant deadline = NOW.plusSeconds(120);
    Assessment a =
        inACalmPool(
            spot("s1", 64, Optional.of(deadline), agent("a1", 4, Duration.ofHours(1))),
            onDemand("od1", 60));
    assertEquals(
        List.of(
            new Evacuation("a1", "s1", deadline, true, "interruption notice", Optional.of("od1"))),
        a.evacuations());
  }

  @Test
  void withoutReadyRoomANoticedAgentIsLeftToTheOrchestratorsOnDemandLaunch() {
    Instant deadline = NOW.plusSeconds(600);
    Assessment a =
        inACalmPool(spot("s1", 64, Optional.of(deadline), agent("a1", 4, Duration.ofHours(1))));
    assertEquals(
        List.of(
            new Evacuation("a1", "s1", deadline, true, "interruption notice", Optional.empty())),
        a.evacuations(),
        "a new on-demand host: no destination named");
  }

  @Test
  void aStormyPoolsAgentTooBigToLeaveWithinANoticeLeavesEarlyVoluntarilyForOnDemandInTheirZone() {
    Assessment a =
        inAStorm(
            200,
            new AgentView(
                "a1",
                128 * GIB,
                Duration.ofHours(3),
                Duration.ofHours(3),
                false,
                Duration.ofHours(3),
                CopyRequest.REFUSED,
                false));
    assertEquals(1, a.evacuations().size(), a.toString());
    Evacuation e = a.evacuations().get(0);
    assertEquals("a1", e.agentId());
    assertFalse(e.forced());
    assertEquals(Optional.of("od1"), e.to());
    assertTrue(e.deadline().isAfter(NOW), e.toString());
  }

  /**
   * The strategy's decision for a 256 GiB spot host "s1" running {@code agents} beside an on-demand
   * host "od1" of {@code odGiB}, with {@link #POOL} at calm prices but reclaimed four times in the
   * last 15 minutes and a rebalance recommendation 30 seconds ago.
   */
  static Assessment inAStorm(long odGiB, AgentView... agents) {
    PoolSignals storm =
        new PoolSignals(
            POOL,
            calm(POOL).quote(),
            List.of(
                NOW.minusSeconds(900),
                NOW.minusSeconds(600),
                NOW.minusSeconds(300),
                NOW.minusSeconds(60)),
            Optional.of(NOW.minusSeconds(30)));
    return strategy(false)
        .decide(
            NOW,
            List.of(storm),
            List.of(spot("s1", 256, Optional.empty(), agents), onDemand("od1", odGiB)));
  }

  /** A big agent three hours into its build, keeping a standing copy or not. */
  static AgentView big(String id, long gib, boolean copied) {
    return new AgentView(
        id,
        gib * GIB,
        Duration.ofHours(3),
        Duration.ofHours(3),
        false,
        Duration.ofHours(3),
        CopyRequest.ASKED,
        copied);
  }

  @Test
  void onAStormyHostTheRiskLaneLeavesAnAgentWithAStandingCopyToItsFlushAndMovesTheOther() {
    Assessment a = inAStorm(250, big("copied", 100, true), big("bare", 100, false));
    assertEquals(
        List.of("bare"),
        a.evacuations().stream().map(Evacuation::agentId).toList(),
        "the copied agent is protected: a notice only needs its flush");
    assertFalse(a.evacuations().get(0).forced());
  }

  @Test
  void aNoticedHostsAgentWithAStandingCopyIsLeftToItsFlushAndTheOtherGetsTheRoom() {
    Instant deadline = NOW.plusSeconds(120);
    Assessment a =
        inACalmPool(
            spot("s1", 64, Optional.of(deadline), big("copied", 4, true), big("bare", 4, false)),
            onDemand("od1", 60));
    assertEquals(
        List.of(
            new Evacuation(
                "bare", "s1", deadline, true, "interruption notice", Optional.of("od1"))),
        a.evacuations());
  }

  @Test
  void anAgentOnOnDemandMovesBackOntoRoomInACalmPool() {
    Assessment a =
        inACalmPool(
            spot("s1", 64, Optional.empty(), agent("x", 40, Duration.ofHours(1))),
            onDemand("od1", 60, agent("a1", 8, Duration.ofMinutes(20))));
    assertEquals(
        List.of(
            new Evacuation(
                "a1",
                "od1",
                NOW.plus(Duration.ofMinutes(15)),
                false,
                "move back to spot",
                Optional.of("s1"))),
        a.evacuations());
  }

  @Test
  void withoutRoomInTheCalmPoolAMoveBackAsksForANewSpotHostThere() {
    Assessment a = inACalmPool(onDemand("od1", 60, agent("a1", 8, Duration.ofMinutes(20))));
    assertEquals(List.of(), a.evacuations(), "nothing to move onto yet");
    assertEquals(List.of(POOL), a.spotLaunches());
  }

  @Test
  void tooSoonAfterLeavingSpotNothingMovesBack() {
    Assessment a =
        inACalmPool(
            spot("s1", 64, Optional.empty(), agent("x", 40, Duration.ofHours(1))),
            onDemand("od1", 60, agent("a1", 8, Duration.ofMinutes(5))));
    assertEquals(List.of(), a.evacuations());
  }

  @Test
  void twoHalfEmptyHostsOfAPoolAreConsolidatedIntoTheFullerOne() {
    Assessment a =
        inACalmPool(
            spot("s1", 64, Optional.empty(), agent("x", 4, Duration.ofHours(1))),
            spot("s2", 64, Optional.empty(), agent("y", 16, Duration.ofHours(1))));
    assertEquals(
        List.of(
            new Evacuation(
                "x",
                "s1",
                NOW.plus(Duration.ofMinutes(15)),
                false,
                "consolidation",
                Optional.of("s2"))),
        a.evacuations());
  }

  @Test
  void sparesAreAskedForTheSavableAgentsAndNotAgainOnceOneExists() {
    LiveHostView s1 =
        spot(
            "s1",
            64,
            Optional.empty(),
            agent("x", 8, Duration.ofHours(1)),
            agent("y", 40, Duration.ofHours(1)));
    Assessment a = strategy(true).decide(NOW, List.of(calm(POOL)), List.of(s1));
    assertEquals(1, a.spares().size(), a.toString());
    SpareLaunch l = a.spares().get(0);
    assertEquals("us-east-1b", l.zoneId());
    assertTrue(l.agentMiB() >= 8 * GIB, l.toString());
    Assessment b =
        strategy(true).decide(NOW, List.of(calm(POOL)), List.of(s1, onDemand("od1", 60)));
    assertEquals(List.of(), b.spares(), "an empty on-demand host is the spare");
    assertEquals(List.of(), inACalmPool(s1).spares(), "a calm pool is not worth a spare");
  }

  @Test
  void aSpareNoLongerNeededIsReleasedAndOneStillNeededIsKept() {
    LiveHostView s1 = spot("s1", 64, Optional.empty(), agent("x", 8, Duration.ofHours(1)));
    assertEquals(
        List.of("od1"),
        inACalmPool(s1, onDemand("od1", 60)).releases(),
        "a calm pool needs no spare: the empty on-demand host kept an hour goes");
    assertEquals(
        List.of(),
        strategy(true)
            .decide(NOW, List.of(calm(POOL)), List.of(s1, onDemand("od1", 60)))
            .releases(),
        "spares regardless of hazard: the one spare stays");
  }

  @Test
  void poolRiskIsReportedPerPool() {
    Assessment a = inACalmPool();
    assertTrue(a.poolRisk().get(POOL) < 0.05, a.poolRisk().toString());
  }

  @Test
  void theStandingCopyPlanMarksTheAgentsOnSpotThatStayInTheModeItIsGiven() {
    LiveHostView s1 = spot("s1", 64, Optional.empty(), asking("a1", 4, Duration.ofHours(1)));
    LiveHostView s2 =
        spot("s2", 64, Optional.of(NOW.plusSeconds(120)), asking("a2", 4, Duration.ofHours(1)));
    LiveHostView od = onDemand("od1", 60, asking("a3", 4, Duration.ofHours(1)));
    List<LiveHostView> fleet = List.of(s1, s2, od);

    Assessment always = strategy(false).decide(NOW, List.of(calm(POOL)), fleet, CopyMode.ALWAYS);
    Assessment off = strategy(false).decide(NOW, List.of(calm(POOL)), fleet, CopyMode.OFF);

    assertEquals(List.of("a1"), always.standingCopies(), "spot, no notice, not leaving");
    assertEquals(List.of(), off.standingCopies());
  }

  @Test
  void thePlanConsidersOnlyAgentsWhoseRequestAskedForACopyInEveryMode() {
    LiveHostView s1 =
        spot("s1", 64, Optional.empty(), longBuild("asked", true), longBuild("notAsked", false));
    List<LiveHostView> fleet = List.of(s1, onDemand("od1", 60));

    for (CopyMode mode : List.of(CopyMode.ALWAYS, CopyMode.HAZARD)) {
      Assessment a = strategy(false).decide(NOW, List.of(reclaimedOften()), fleet, mode);
      assertEquals(List.of("asked"), a.standingCopies(), mode.toString());
    }
    assertEquals(
        List.of(),
        strategy(false)
            .decide(NOW, List.of(reclaimedOften()), fleet, CopyMode.OFF)
            .standingCopies());
  }

  @Test
  void inAtRiskModeThePlanAlsoDecidesTheAgentsLeftToTheFleetButNeverTheRefusedOnes() {
    LiveHostView s1 =
        spot(
            "s1",
            64,
            Optional.empty(),
            longBuild("left", CopyRequest.UNSET),
            longBuild("refused", CopyRequest.REFUSED));
    List<LiveHostView> fleet = List.of(s1, onDemand("od1", 60));

    Assessment atRisk =
        strategy(false).decide(NOW, List.of(reclaimedOften()), fleet, CopyMode.AT_RISK);
    Assessment hazard =
        strategy(false).decide(NOW, List.of(reclaimedOften()), fleet, CopyMode.HAZARD);
    Assessment calmPool = strategy(false).decide(NOW, List.of(calm(POOL)), fleet, CopyMode.AT_RISK);

    assertEquals(List.of("left"), atRisk.standingCopies(), "the loss beats the cost");
    assertEquals(List.of(), hazard.standingCopies(), "HAZARD: only agents that asked");
    assertEquals(List.of(), calmPool.standingCopies(), "a calm pool: the loss is below the cost");
  }

  /** An agent of {@code gib} that asked for a copy, three hours into a build of two more. */
  static AgentView threeHoursIn(String id, long gib) {
    return threeHoursIn(id, gib, CopyRequest.ASKED);
  }

  /** As {@link #threeHoursIn(String, long)}, whose request says {@code copy}. */
  private static AgentView threeHoursIn(String id, long gib, CopyRequest copy) {
    return new AgentView(
        id,
        gib * GIB,
        Duration.ofHours(3),
        Duration.ofHours(2),
        false,
        Duration.ofHours(3),
        copy,
        false);
  }

  /** As {@link #longBuild(String, boolean)}, whose request says {@code copy}. */
  static AgentView longBuild(String id, CopyRequest copy) {
    return threeHoursIn(id, 32, copy);
  }

  /** A 32 GiB agent three hours into its build, two left: worth a copy in a pool at risk. */
  static AgentView longBuild(String id, boolean asksForCopy) {
    return longBuild(id, CopyRequest.ofWish(asksForCopy));
  }

  static PoolSignals reclaimedOften() {
    return new PoolSignals(
        POOL,
        Optional.of(new MarketQuote(POOL, NOW, 0.1, 0.4, OptionalInt.of(4))),
        List.of(NOW.minusSeconds(600), NOW.minusSeconds(1200), NOW.minusSeconds(1800)),
        Optional.of(NOW.minusSeconds(60)));
  }

  @Test
  void inHazardModeACopyIsAskedForOnlyWhereTheExpectedLossBeatsItsCost() {
    // a copy costs a backup's share: 0.576 USD/h / 8 copies over 0.4 USD/h per 64 GiB on demand
    List<LiveHostView> fleet =
        List.of(spot("s1", 64, Optional.empty(), threeHoursIn("long", 32)), onDemand("od1", 60));
    PoolSignals reclaimedOften =
        new PoolSignals(
            POOL,
            Optional.of(new MarketQuote(POOL, NOW, 0.1, 0.4, OptionalInt.of(4))),
            List.of(NOW.minusSeconds(600), NOW.minusSeconds(1200), NOW.minusSeconds(1800)),
            Optional.of(NOW.minusSeconds(60)));
    PoolSignals noQuote = new PoolSignals(POOL, Optional.empty(), List.of(), Optional.empty());

    Assessment calmPool = strategy(false).decide(NOW, List.of(calm(POOL)), fleet, CopyMode.HAZARD);
    Assessment risky = strategy(false).decide(NOW, List.of(reclaimedOften), fleet, CopyMode.HAZARD);
    Assessment unpriced = strategy(false).decide(NOW, List.of(noQuote), fleet, CopyMode.HAZARD);

    assertEquals(List.of(), unpriced.standingCopies(), "no price, no known cost: no copy");
    assertEquals(List.of("long"), risky.standingCopies(), "a long build in a pool at risk");
    assertEquals(List.of(), calmPool.standingCopies(), "a calm pool: the copy costs more");
  }

  @Test
  void inAffordableModeACopyIsKeptOnACalmPoolWhereItCostsLessThanTheSpotSavingItProtects() {
    // a copy's share of a backup: 0.576 USD/h / 8 over 0.4 USD/h per 64 GiB = 11.5 GiB-hours per
    // hour, below what 32 GiB on spot at a quarter of the on-demand price saves (24), above what
    // 8 GiB saves (6)
    List<LiveHostView> fleet =
        List.of(
            spot("s1", 64, Optional.empty(), threeHoursIn("big", 32), threeHoursIn("small", 8)),
            onDemand("od1", 60));

    Assessment affordable =
        strategy(false).decide(NOW, List.of(calm(POOL)), fleet, CopyMode.AFFORDABLE);
    Assessment hazard = strategy(false).decide(NOW, List.of(calm(POOL)), fleet, CopyMode.HAZARD);

    assertEquals(List.of("big"), affordable.standingCopies(), "the copy costs less than it saves");
    assertEquals(List.of(), hazard.standingCopies(), "a calm pool: the expected loss is below it");
  }

  /**
   * The simulator's marginal price of a copy ({@code StandingCopyPlan.decide} with the copies held,
   * the free backup room, a new backup's cost and its copies): after one reclamation in its pool, a
   * 32 GiB build an hour in has an expected loss that beats a copy's share of a backup (0.576 USD/h
   * / 8 over 0.4 USD/h per 64 GiB: 11.5 GiB-hours per hour) but not a whole new backup (92 per
   * hour), nor the on-demand premium (it does not leave early). So it keeps a copy where a host
   * with room can hold it, or where it holds one already, and not where a backup must be launched
   * for it alone.
   */
  @Test
  void inHazardModeACopyThatNeedsANewBackupIsPricedAtTheWholeBackup() {
    PoolSignals reclaimedOnce =
        new PoolSignals(
            POOL,
            Optional.of(new MarketQuote(POOL, NOW, 0.1, 0.4, OptionalInt.of(4))),
            List.of(NOW.minusSeconds(600)),
            Optional.empty());
    AgentView other = agent("other", 32, Duration.ofHours(3));
    LiveHostView full = spot("s1", 64, Optional.empty(), hourIn(false), other);
    LiveHostView fullCopied = spot("s1", 64, Optional.empty(), hourIn(true), other);

    Assessment noRoom =
        strategy(false).decide(NOW, List.of(reclaimedOnce), List.of(full), CopyMode.HAZARD);
    Assessment room =
        strategy(false)
            .decide(
                NOW, List.of(reclaimedOnce), List.of(full, onDemand("od1", 60)), CopyMode.HAZARD);
    Assessment held =
        strategy(false).decide(NOW, List.of(reclaimedOnce), List.of(fullCopied), CopyMode.HAZARD);

    assertEquals(List.of(), noRoom.evacuations(), "it does not leave early");
    assertEquals(List.of(), noRoom.standingCopies(), "a new backup for one copy costs more");
    assertEquals(List.of("long"), room.standingCopies(), "a host with room holds it: the share");
    assertEquals(List.of("long"), held.standingCopies(), "it holds a copy already: the share");
  }

  /**
   * The same build as {@link #inHazardModeACopyThatNeedsANewBackupIsPricedAtTheWholeBackup}, on a
   * host with room beside it: the only other room is an on-demand host in another zone, where the
   * orchestrator puts its backup (another pool first). Its stream then pays the cross-zone transfer
   * both ways (450 GiB/h at the simulator's 128 MiB/s dirty rate, about 9.66 USD/h, over 2,400
   * GiB-hours per hour at 0.4 USD/h per 64 GiB), far above its expected loss: no copy in HAZARD
   * mode. In its zone the same room holds it at a backup's share, as before; in ALWAYS mode it
   * keeps one whatever it costs.
   */
  @Test
  void inHazardModeACopyWhoseOnlyBackupRoomIsInAnotherZoneIsPricedWithItsStreamsTransfer() {
    PoolSignals reclaimedOnce =
        new PoolSignals(
            POOL,
            Optional.of(new MarketQuote(POOL, NOW, 0.1, 0.4, OptionalInt.of(4))),
            List.of(NOW.minusSeconds(600)),
            Optional.empty());
    LiveHostView roomy = spot("s1", 64, Optional.empty(), hourIn(false));
    LiveHostView inZone = onDemand("od1", 60);
    LiveHostView otherZone =
        host(
            "od2", Market.ON_DEMAND, new PoolKey("m5.4xlarge", "us-east-1c"), 60, Optional.empty());

    Assessment crossZone =
        strategy(false)
            .decide(NOW, List.of(reclaimedOnce), List.of(roomy, otherZone), CopyMode.HAZARD);
    Assessment sameZone =
        strategy(false)
            .decide(NOW, List.of(reclaimedOnce), List.of(roomy, inZone), CopyMode.HAZARD);
    Assessment always =
        strategy(false)
            .decide(NOW, List.of(reclaimedOnce), List.of(roomy, otherZone), CopyMode.ALWAYS);

    assertEquals(List.of(), crossZone.standingCopies(), "the stream's transfer costs more");
    assertEquals(List.of("long"), sameZone.standingCopies(), "in its zone: the share");
    assertEquals(List.of("long"), always.standingCopies());
  }

  @Test
  void aCrossZoneCopyIsPricedAsTheSimulatorPricesTransfer() {
    var cost = strategy(false).crossZoneCopyCost(32 * GIB).orElseThrow();

    assertEquals(450, cost.streamGiBPerHour(), 1e-9, "128 MiB/s for an hour");
    assertEquals(450 * 2 * 0.01 * 1.073741824, cost.streamUsdPerHour(), 1e-9);
    assertEquals(32, cost.firstSyncGiB(), 1e-9);
    assertEquals(32 * 2 * 0.01 * 1.073741824, cost.firstSyncUsd(), 1e-9);
  }

  /** A 32 GiB agent an hour into its build that asked for a copy, {@code copied} or not. */
  static AgentView hourIn(boolean copied) {
    return new AgentView(
        "long",
        32 * GIB,
        Duration.ofHours(1),
        Duration.ofHours(2),
        false,
        Duration.ofHours(1),
        CopyRequest.ASKED,
        copied);
  }
}
