package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.MemoryBacking;
import io.spotnest.orchestrator.model.StandingCopy;
import io.spotnest.orchestrator.port.CopyOrder;
import io.spotnest.orchestrator.testing.Rig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The backup for a standing copy is chosen by what the copy really needs there (issue 12 item 6): a
 * file-backed standby takes disk in the backup's standby store and RAM only for its source's flush,
 * so one backup holds copies of several sources whose total exceeds its free RAM.
 */
class FileStandbyTickTest {
  private final Rig rig = new Rig();
  private String od;
  private String h1;
  private String h2;
  private String a1;
  private String a2;
  private String a3;

  private FleetState state() {
    return rig.o().state();
  }

  /**
   * An on-demand backup (8192 MiB) running 2048 of its own; spot h1 with 3072 + 2048 to back up,
   * spot h2 with 4096: 9216 in all against 6144 left on the backup; each source's fits.
   */
  private void fleet(MemoryBacking memory, long storeMiB) {
    rig.vmMemory = memory;
    rig.standbyStoreMiB = storeMiB;
    od = rig.host(OD, Market.ON_DEMAND);
    h1 = rig.host(SPOT_A, Market.SPOT);
    h2 = rig.host(SPOT_B, Market.SPOT);
    rig.agent(od, 2048, true);
    a1 = rig.copyAgent(h1, 3072, true);
    a2 = rig.copyAgent(h1, 2048, true);
    a3 = rig.copyAgent(h2, 4096, true);
    rig.strategy.risk.put(SPOT_A, 0.1);
    rig.strategy.risk.put(SPOT_B, 0.1);
    rig.start();
    rig.strategy.standingCopies.addAll(List.of(a1, a2, a3));
    rig.o().tick();
  }

  private StandingCopy copyOf(String agent) {
    return state().copyOf(agent).orElseThrow(() -> new AssertionError("no copy of " + agent));
  }

  @Test
  void oneBackupTakesFileBackedCopiesOfTwoSourcesBeyondItsFreeRam() {
    fleet(MemoryBacking.FILE, 16384);

    for (String a : List.of(a1, a2, a3)) {
      assertEquals(od, copyOf(a).backup(), a);
      assertTrue(copyOf(a).fileStandby(), a);
    }
    assertEquals(2048 + 5120, state().usedMiB(od), "own 2048 plus h1's 5120, the larger source");
    assertTrue(
        rig.world.streams().stream().allMatch(CopyOrder::fileStandby),
        "the mover is asked for what was journaled: " + rig.world.streams());
    assertEquals(List.of(), rig.world.violations());
  }

  @Test
  void theSameCopiesInRamDoNotAllFitOnThatBackup() {
    fleet(MemoryBacking.RAM, 16384);

    assertEquals(od, copyOf(a1).backup());
    assertEquals(od, copyOf(a2).backup());
    assertTrue(state().copyOf(a3).map(c -> !c.backup().equals(od)).orElse(true), "no room on od");
    assertTrue(state().copies().stream().noneMatch(StandingCopy::fileStandby), "VMs in RAM");
    assertTrue(state().usedMiB(od) <= Rig.HOST_MIB);
  }

  @Test
  void withoutAStandbyStoreFileBackedVmsGetRamStandbysCountedInFull() {
    fleet(MemoryBacking.FILE, 0);

    assertTrue(state().copies().stream().noneMatch(StandingCopy::fileStandby));
    assertTrue(state().copyOf(a3).map(c -> !c.backup().equals(od)).orElse(true));
    assertTrue(state().usedMiB(od) <= Rig.HOST_MIB);
  }

  @Test
  void aStoreTooSmallForAllFilesTakesOnlyWhatFitsAsFiles() {
    fleet(MemoryBacking.FILE, 8192);

    assertTrue(copyOf(a1).fileStandby() && copyOf(a2).fileStandby(), "5120 of files fit");
    assertEquals(od, copyOf(a1).backup());
    assertTrue(
        state().copyOf(a3).map(c -> !c.backup().equals(od) || !c.fileStandby()).orElse(true),
        "4096 more would pass od's 8192 of store");
    assertTrue(state().standbyFileMiB(od) <= 8192);
    assertTrue(state().usedMiB(od) <= Rig.HOST_MIB);
  }

  @Test
  void aNoticeFlushesOneSourcesCopiesAndTheOtherSourcesCopyThatNoLongerFitsIsDropped() {
    fleet(MemoryBacking.FILE, 16384);
    rig.notice(h1, 120);

    rig.o().tick();

    List<JournalRecord> j = rig.journal.replay();
    List<String> flushed =
        j.stream()
            .filter(MoveStarted.class::isInstance)
            .map(MoveStarted.class::cast)
            .filter(m -> m.to().equals(od))
            .map(MoveStarted::agentId)
            .toList();
    assertEquals(java.util.Set.of(a1, a2), java.util.Set.copyOf(flushed), "h1's copies flush");
    assertFalse(
        state().copyOf(a3).map(c -> c.backup().equals(od)).orElse(false),
        "a3's flush no longer fits on od: dropped there");
    assertTrue(state().usedMiB(od) <= Rig.HOST_MIB, "od is never over-committed");
  }

  @Test
  void aFailedFlushLeavesItsVmsInTheirPrivateFilesAlsoAfterARestart() {
    fleet(MemoryBacking.FILE, 16384);
    rig.world.flushFails(true);
    rig.notice(h1, 120);

    rig.o().tick();
    rig.o().tick();

    for (String a : List.of(a1, a2)) {
      assertEquals(
          MemoryBacking.FILE, state().findAgent(a).orElseThrow().memory(), a + " never flushed");
    }
    assertTrue(state().standbyFileMiB(od) <= 4096, "at most a3's standby in od's store");
    rig.create(); // the journal replayed, as at a controller restart
    for (String a : List.of(a1, a2)) {
      assertEquals(MemoryBacking.FILE, state().findAgent(a).orElseThrow().memory(), a);
    }
  }

  @Test
  void theOrchestratorJournalsTheMemoryItsVmsBootWithAndOnlyThoseInAFileGetFileStandbys() {
    rig.vmMemory = MemoryBacking.FILE;
    rig.standbyStoreMiB = 16384;
    String spot = rig.host(SPOT_A, Market.SPOT);
    String backup = rig.host(OD, Market.ON_DEMAND);
    String old = rig.copyAgent(spot, 1024, true);
    rig.vmMemory = MemoryBacking.RAM; // booted before the fleet's VMs went to files
    String old2 = rig.copyAgent(spot, 1024, true);
    rig.strategy.risk.put(SPOT_A, 0.1);
    rig.start();
    rig.world.memory = MemoryBacking.FILE; // the VMs the orchestrator boots now
    String fresh = rig.o().requestAgent(1024, java.time.Duration.ofHours(2));

    rig.o().tick();

    JournalRecord.AgentPhaseChanged booting =
        rig.journal.replay().stream()
            .filter(JournalRecord.AgentPhaseChanged.class::isInstance)
            .map(JournalRecord.AgentPhaseChanged.class::cast)
            .filter(r -> r.agentId().equals(fresh))
            .findFirst()
            .orElseThrow();
    assertEquals(MemoryBacking.FILE, booting.memory(), "journaled before the boot");
    assertEquals(MemoryBacking.FILE, state().findAgent(fresh).orElseThrow().memory());
    assertEquals(MemoryBacking.FILE, state().findAgent(old).orElseThrow().memory());
    assertEquals(MemoryBacking.RAM, state().findAgent(old2).orElseThrow().memory());
    rig.strategy.standingCopies.addAll(List.of(old, old2));
    rig.o().tick();
    assertTrue(copyOf(old).fileStandby());
    assertFalse(copyOf(old2).fileStandby(), "its VM is in RAM: a RAM standby");
    assertEquals(backup, copyOf(old2).backup());
    assertEquals(1024 + 1024, state().usedMiB(backup));
  }

  @Test
  void aVmRunningFromASharedFileWithoutAStoreToTakeItsStandbyGetsNoCopyAndLaunchesNoHost() {
    rig.vmMemory = MemoryBacking.SHARED_FILE; // flushed from a file standby before
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String shared = rig.copyAgent(spot, 1024, true);
    rig.vmMemory = MemoryBacking.RAM;
    rig.standbyStoreMiB = 0; // the operator took the store away
    rig.strategy.risk.put(SPOT_A, 0.1);
    rig.start();
    rig.strategy.standingCopies.add(shared);
    int seeded = rig.world.launchAttempts().size();

    rig.o().tick();
    rig.o().tick();

    assertTrue(state().copies().isEmpty(), "libvirt would put its standby in a file anyway");
    assertEquals(
        seeded,
        rig.world.launchAttempts().size(),
        "no new host could take it either: none launched");
  }

  @Test
  void replayAfterARestartGivesTheSameReservation() {
    fleet(MemoryBacking.FILE, 16384);
    long used = state().usedMiB(od);

    assertEquals(Map.of(a1, od, a2, od, a3, od), rig.world.standbys());

    rig.create(); // the journal replayed, as at a controller restart

    assertEquals(used, state().usedMiB(od));
    assertEquals(3, state().copies().size());
    assertTrue(state().copies().stream().allMatch(StandingCopy::fileStandby));
  }
}
