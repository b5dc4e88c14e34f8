package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.CopyDropped;
import io.spotnest.orchestrator.journal.JournalRecord.CopyEnded;
import io.spotnest.orchestrator.journal.JournalRecord.CopyStarted;
import io.spotnest.orchestrator.journal.JournalRecord.MoveFinished;
import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.StandingCopy;
import io.spotnest.orchestrator.placement.Limits;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.strategy.fleet.CopyMode;
import io.spotnest.strategy.fleet.CopyRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator acts on the strategy's standing-copy plan (issue 12 Part C): it keeps a copy on
 * a backup host for each agent the plan marks, drops it when it no longer serves, and a notice
 * flushes it instead of a cold move.
 */
class StandingCopyTickTest {
  private final Rig rig = new Rig();

  private FleetState state() {
    return rig.o().state();
  }

  private StandingCopy copyOf(String agent) {
    return state().copyOf(agent).orElseThrow(() -> new AssertionError("no copy of " + agent));
  }

  @Test
  void anAgentThePlanMarksGetsACopyOnAHostOfAnotherPoolJournaledFirstWithItsMemoryReserved() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String h2 = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    String a2 = rig.copyAgent(h2, 1024, true);
    rig.start();
    rig.strategy.standingCopies.add(a1);

    rig.o().tick();

    StandingCopy c = copyOf(a1);
    assertEquals(h1, c.from());
    assertEquals(od, c.backup(), "another pool than the source's (h2 shares SPOT_A)");
    assertEquals(Map.of(a1, od), rig.world.standbys());
    assertEquals(2048, state().usedMiB(od), "the copy's memory is reserved on the backup");
    assertTrue(state().copyOf(a2).isEmpty(), "the plan did not mark a2");
    assertEquals(List.of(), rig.world.violations(), "journaled before the mover was asked");
    assertEquals(CopyMode.HAZARD, rig.strategy.lastCopyMode, "the strategy's default mode");
    rig.o().tick();
    assertEquals(1, rig.world.streams().size(), "one copy, not a second one per tick");
  }

  @Test
  void onAnAtRiskSpotHostOnlyTheAgentWhoseRequestAskedGetsACopyEvenWhenThePlanMarksBoth() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String asked = rig.copyAgent(h1, 2048, true);
    String notAsked = rig.agent(h1, 1024, true);
    rig.strategy.risk.put(SPOT_A, 0.6);
    rig.start();
    rig.world.event(
        new FleetEvent.Rebalance(rig.world.nextEventId(), h1, "sqs", rig.clock.instant()));
    rig.strategy.standingCopies.addAll(List.of(asked, notAsked)); // a plan that ignored the wish

    rig.o().tick();

    assertEquals(HostPhase.AT_RISK, state().findHost(h1).orElseThrow().phase());
    List<CopyStarted> started =
        rig.journal.replay().stream()
            .filter(x -> x instanceof CopyStarted)
            .map(x -> (CopyStarted) x)
            .toList();
    assertEquals(List.of(asked), started.stream().map(CopyStarted::agentId).toList());
    assertEquals(Map.of(asked, od), rig.world.standbys());
    assertTrue(state().copyOf(notAsked).isEmpty(), "it did not ask: never a copy");
    assertEquals(2048, state().usedMiB(od), "only the asking agent's memory is reserved");
    Map<String, Boolean> seen = new java.util.HashMap<>();
    rig.strategy.lastLive.stream()
        .flatMap(h -> h.agents().stream())
        .forEach(a -> seen.put(a.agentId(), a.standingCopy()));
    assertEquals(Map.of(asked, true, notAsked, false), seen, "the strategy sees each wish");
    rig.o().tick();
    assertEquals(1, rig.world.streams().size(), "still one copy");
  }

  @Test
  void inAtRiskModeAnAgentLeftToTheFleetGetsACopyAndARefusedOneNeverEvenWhenThePlanMarksBoth() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String left = rig.agent(h1, 2048, true, CopyRequest.UNSET);
    String refused = rig.agent(h1, 1024, true, CopyRequest.REFUSED);
    rig.copyMode = CopyMode.AT_RISK;
    rig.start();
    rig.strategy.standingCopies.addAll(List.of(left, refused)); // a plan that ignored the wish

    rig.o().tick();

    assertEquals(CopyMode.AT_RISK, rig.strategy.lastCopyMode, "the mode reaches the strategy");
    assertEquals(Map.of(left, od), rig.world.standbys(), "left to the fleet: the fleet copies it");
    assertTrue(state().copyOf(refused).isEmpty(), "it refused: never a copy");
    Map<String, CopyRequest> seen = new java.util.HashMap<>();
    rig.strategy.lastLive.stream()
        .flatMap(h -> h.agents().stream())
        .forEach(a -> seen.put(a.agentId(), a.copy()));
    assertEquals(
        Map.of(left, CopyRequest.UNSET, refused, CopyRequest.REFUSED),
        seen,
        "the strategy sees each request");
  }

  @Test
  void outsideAtRiskModeAnAgentLeftToTheFleetGetsNoCopyEvenWhenThePlanMarksIt() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String left = rig.agent(h1, 2048, true, CopyRequest.UNSET);
    rig.copyMode = CopyMode.ALWAYS;
    rig.start();
    rig.strategy.standingCopies.add(left);

    rig.o().tick();

    assertTrue(state().copies().isEmpty(), "only AT_RISK copies agents that did not ask");
    assertEquals(Map.of(), rig.world.standbys());
  }

  @Test
  void withOnlyTheSourcesPoolTheBackupIsAnotherHostThereAndNeverTheSourceItself() {
    rig.limits = new Limits(1, 200, 4, 2, 0.2); // no backup launch (BackupLaunchTickTest)
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.start();
    rig.strategy.standingCopies.add(a1);

    rig.o().tick();
    assertTrue(state().copyOf(a1).isEmpty(), "no other host: no copy");

    String h2 = rig.host(SPOT_A, Market.SPOT);
    rig.start();
    rig.o().tick();
    assertEquals(h2, copyOf(a1).backup());
  }

  @Test
  void aNoticeFlushesTheCopyWithinItsDeadlineInsteadOfAColdMoveAndTheAgentRunsOnTheBackup() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(SPOT_B, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.world.pace((ramGiB, sharing) -> Duration.ofMinutes(10)); // a cold move cannot make it
    rig.start();
    rig.strategy.standingCopies.add(a1);
    rig.o().tick();
    String copyId = copyOf(a1).copyId();
    Instant deadline = rig.clock.instant().plusSeconds(120);
    rig.notice(h1, 120);

    TickReport r = rig.o().tick();

    assertEquals(1, r.forcedStarted().size(), r.toString());
    MoveOrder flush = r.forcedStarted().get(0);
    assertEquals(od, flush.to(), "to the copy's backup");
    assertEquals(deadline, flush.deadline(), "the notice's deadline");
    assertEquals(List.of(), r.forcedLate(), "a flush is not a cold move: nothing late");
    rig.strategy.standingCopies.clear(); // the plan marks agents on spot only
    rig.clock.advance(Duration.ofSeconds(4));
    rig.o().tick();

    assertEquals(od, state().findAgent(a1).orElseThrow().hostId());
    assertEquals(AgentPhase.BUSY, state().findAgent(a1).orElseThrow().phase());
    assertEquals(Map.of(a1, List.of(od)), rig.world.copies(), "nothing left on the source");
    assertEquals(Map.of(), rig.world.standbys());
    assertTrue(state().copies().isEmpty());
    assertEquals(2048, state().usedMiB(od), "the agent, no reservation left over");
    List<JournalRecord> j = rig.journal.replay();
    MoveStarted started = only(j, MoveStarted.class);
    assertEquals("interruption notice; standing-copy flush of " + copyId, started.reason());
    assertEquals(od, only(j, MoveFinished.class).runningOn());
    assertEquals(List.of(), rig.world.violations());
  }

  @Test
  void aFailedFlushLeavesTheAgentToTheUsualForcedMoveElsewhere() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String h3 = rig.host(SPOT_B, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.start();
    rig.strategy.standingCopies.add(a1);
    rig.o().tick();
    assertEquals(od, copyOf(a1).backup());
    rig.world.flushFails(true);
    rig.notice(h1, 120);

    rig.o().tick();
    TickReport r = rig.o().tick();

    assertEquals(1, r.forcedStarted().size(), r.toString());
    assertEquals(h3, r.forcedStarted().get(0).to(), "a cold move to another host than the backup");
    rig.world.completeMoves();
    rig.o().tick();
    assertEquals(h3, state().findAgent(a1).orElseThrow().hostId());
    assertEquals(Map.of(a1, List.of(h3)), rig.world.copies());
    assertEquals(List.of(), rig.world.violations());
  }

  @Test
  void aCopyIsDroppedWhenItsAgentIsGoneOrThePlanNoLongerAsksAndTheReservationIsFreed() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, false);
    String a2 = rig.copyAgent(h1, 1024, true);
    rig.start();
    rig.strategy.standingCopies.addAll(List.of(a1, a2));
    rig.o().tick();
    assertEquals(3072, state().usedMiB(od));

    rig.o().retireAgent(a1);
    rig.strategy.standingCopies.remove(a2);
    rig.o().tick();

    assertTrue(state().copies().isEmpty());
    assertEquals(0, state().usedMiB(od), "both reservations freed");
    assertEquals(Map.of(), rig.world.standbys(), "nothing left on the backup");
    assertEquals(List.of(), rig.world.streams());
    List<String> why =
        rig.journal.replay().stream()
            .filter(x -> x instanceof CopyDropped)
            .map(x -> ((CopyDropped) x).reason())
            .toList();
    assertEquals(2, why.size(), why.toString());
    assertTrue(why.get(0).contains("gone"), why.toString());
    assertTrue(why.get(1).contains("no longer asks"), why.toString());
    assertEquals(List.of(), rig.world.violations());
  }

  @Test
  void aBackupAtRiskNoticedOrGoneIsDroppedAndAnotherChosen() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String b1 = rig.host(SPOT_B, Market.SPOT);
    String b2 = rig.host(SPOT_B, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.copyAgent(b1, 1024, true); // keeps b1 from being retired once at risk
    rig.copyAgent(b2, 1024, true);
    rig.start();
    rig.strategy.standingCopies.add(a1);
    rig.o().tick();
    String first = copyOf(a1).backup();

    rig.world.event(
        new FleetEvent.Rebalance(rig.world.nextEventId(), first, "sqs", rig.clock.instant()));
    rig.o().tick();
    String second = copyOf(a1).backup();
    assertNotEquals(first, second, "at risk: another backup");
    assertEquals(Map.of(a1, second), rig.world.standbys());

    rig.notice(second, 120);
    rig.o().tick();
    String third = copyOf(a1).backup();
    assertTrue(!third.equals(second) && !third.equals(first), first + second + third);

    rig.world.reclaim(third);
    rig.o().tick();
    assertTrue(
        state().copyOf(a1).map(c -> !c.backup().equals(third)).orElse(true), "never a gone backup");
    assertEquals(List.of(), rig.world.violations());
    assertTrue(
        state().lostBuilds().stream().noneMatch(l -> l.agentId().equals(a1)),
        "the copies' ends lost nothing of a1: " + state().lostBuilds());
    assertTrue(state().findAgent(a1).orElseThrow().mayRun());
  }

  @Test
  void aSourceThatVanishesWithoutANoticeLosesTheBuildAndStopsItsCopy() {
    Rig.CopiedAgent copied = rig.startWithACopy();

    rig.world.reclaim(copied.source());
    rig.o().tick();
    rig.o().tick();

    assertEquals(1, state().lostBuilds().size(), "no notice, no flush: the build is lost");
    String requeued = state().lostBuilds().get(0).requeuedAs();
    assertTrue(
        state().findAgent(requeued).orElseThrow().standingCopy(),
        "the requeued build asks for a copy as its lost agent did");
    assertTrue(state().copies().isEmpty());
    long agentsOnOd =
        state().agentsOn(copied.backup()).stream()
            .mapToLong(id -> state().findAgent(id).orElseThrow().ramMiB())
            .sum();
    assertEquals(
        agentsOnOd,
        state().usedMiB(copied.backup()),
        "no reservation left (the requeued build is new)");
    assertTrue(
        rig.journal.replay().stream()
            .anyMatch(r -> r instanceof CopyDropped d && d.reason().startsWith("agent lost")),
        "the drop is journaled");
    assertEquals(List.of(), rig.world.streams(), "the mover was told");
    assertEquals(Map.of(), rig.world.standbys());
    assertEquals(List.of(), rig.world.violations());
  }

  @Test
  void aStreamThatConvergesByItselfIsAFinishedMoveToTheBackup() {
    Rig.CopiedAgent copied = rig.startWithACopy();
    rig.world.converge(copied.agent());
    rig.strategy.standingCopies.clear();

    rig.o().tick();

    assertEquals(copied.backup(), state().findAgent(copied.agent()).orElseThrow().hostId());
    assertEquals(copied.backup(), only(rig.journal.replay(), CopyEnded.class).runningOn());
    assertEquals(2048, state().usedMiB(copied.backup()));
    assertEquals(0, state().usedMiB(copied.source()));
  }

  /**
   * The keeper retries a copy the engine refused at the next tick (a refusal may pass): a refusal
   * that never passes costs a start and two journal records every tick, which is why the mover asks
   * only for a copy the VM can have (a RAM standby for a VM in anonymous RAM).
   */
  @Test
  void aCopyThatEndsOnItsSourceIsTriedAgainOnlyAfterABackoffThatDoublesUpToItsCap() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.world.refuseCopiesOf(a1);
    rig.start();
    rig.strategy.standingCopies.add(a1);

    for (int i = 0; i < 4; i++) {
      rig.o().tick(); // the first starts it, the second finds it ended on its source
    }
    assertEquals(List.of(a1), rig.world.copiesStarted, "not started again at every tick");
    List<JournalRecord> journal = rig.journal.replay();
    assertEquals(1, journal.stream().filter(CopyStarted.class::isInstance).count());
    List<CopyEnded> ended =
        journal.stream().filter(CopyEnded.class::isInstance).map(CopyEnded.class::cast).toList();
    assertEquals(1, ended.size());
    assertEquals(h1, ended.get(0).runningOn());

    rig.clock.advance(StandingCopies.FIRST_RETRY.minusSeconds(1));
    rig.o().tick();
    assertEquals(1, rig.world.copiesStarted.size(), "still backing off");
    rig.clock.advance(Duration.ofSeconds(1));
    rig.o().tick();
    assertEquals(2, rig.world.copiesStarted.size(), "tried again after the first backoff");
    rig.o().tick(); // ends on its source again: the backoff doubles
    rig.clock.advance(StandingCopies.FIRST_RETRY);
    rig.o().tick();
    assertEquals(2, rig.world.copiesStarted.size(), "the second backoff is twice the first");
    rig.clock.advance(StandingCopies.FIRST_RETRY);
    rig.o().tick();
    assertEquals(3, rig.world.copiesStarted.size());

    for (int i = 0; i < 10; i++) { // fail often enough to reach the cap
      rig.o().tick();
      rig.clock.advance(StandingCopies.LONGEST_RETRY);
      rig.o().tick();
    }
    int before = rig.world.copiesStarted.size();
    assertEquals(13, before, "each cap-long wait allows one more try");
    rig.o().tick();
    rig.clock.advance(StandingCopies.LONGEST_RETRY.minusSeconds(1));
    rig.o().tick();
    assertEquals(before, rig.world.copiesStarted.size(), "the cap holds");
    assertEquals(h1, state().findAgent(a1).orElseThrow().hostId());
  }

  @Test
  void aCopyThatStandsClearsItsAgentsBackoff() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.world.refuseCopiesOf(a1);
    rig.start();
    rig.strategy.standingCopies.add(a1);
    rig.o().tick();
    rig.o().tick(); // ended on its source: first backoff
    rig.clock.advance(StandingCopies.FIRST_RETRY);
    rig.o().tick();
    rig.o().tick(); // again: the backoff is now twice the first
    rig.world.acceptCopiesOf(a1);
    rig.clock.advance(StandingCopies.FIRST_RETRY.multipliedBy(2));
    rig.o().tick(); // started, and it stands
    rig.o().tick();
    assertTrue(state().copyOf(a1).isPresent(), "the copy stands");
    rig.strategy.standingCopies.remove(a1);
    rig.o().tick(); // dropped by the plan: no failure
    rig.strategy.standingCopies.add(a1);
    rig.world.refuseCopiesOf(a1);
    rig.o().tick();
    rig.o().tick(); // ends on its source: a first failure again
    int before = rig.world.copiesStarted.size();
    rig.clock.advance(StandingCopies.FIRST_RETRY);
    rig.o().tick();
    assertEquals(before + 1, rig.world.copiesStarted.size(), "the backoff started over");
  }

  @Test
  void aTickWithoutAPlanDropsNoCopy() {
    Rig.CopiedAgent copied = rig.startWithACopy();
    rig.strategy.standingCopies.clear();
    rig.strategy.failure = new IllegalStateException("model unavailable");

    rig.o().tick();

    assertTrue(state().copyOf(copied.agent()).isPresent(), "no plan this tick: the copy stays");
    assertEquals(1, rig.world.standbys().size());
  }

  @Test
  void modeOffKeepsNoCopyWhateverTheStrategySays() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.copyMode = CopyMode.OFF;
    rig.start();
    rig.strategy.standingCopies.add(a1);

    rig.o().tick();

    assertEquals(CopyMode.OFF, rig.strategy.lastCopyMode, "the mode reaches the strategy");
    assertTrue(state().copies().isEmpty());
    assertEquals(Map.of(), rig.world.standbys());
  }

  @Test
  void copyRecordsSurviveAFileRoundTripAndReplayToTheSameReservations(@TempDir Path dir) {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    String a2 = rig.copyAgent(h1, 1024, true);
    rig.start();
    rig.strategy.standingCopies.addAll(List.of(a1, a2));
    rig.o().tick();
    rig.strategy.standingCopies.remove(a2);
    rig.o().tick();
    List<JournalRecord> records = rig.journal.replay();
    assertEquals(2, records.stream().filter(x -> x instanceof CopyStarted).count());

    try (FileJournal file = FileJournal.open(dir.resolve("journal.jsonl"))) {
      records.forEach(file::append);
    }
    FleetState replayed = new FleetState();
    try (FileJournal file = FileJournal.open(dir.resolve("journal.jsonl"))) {
      assertEquals(records, file.replay());
      file.replay().forEach(replayed::apply);
    }
    assertEquals(List.copyOf(state().copies()), List.copyOf(replayed.copies()));
    assertEquals(2048, replayed.usedMiB(od));
  }

  private static <T> T only(List<JournalRecord> records, Class<T> type) {
    List<T> of = records.stream().filter(type::isInstance).map(type::cast).toList();
    assertEquals(1, of.size(), type.getSimpleName() + ": " + of);
    return of.get(0);
  }
}
