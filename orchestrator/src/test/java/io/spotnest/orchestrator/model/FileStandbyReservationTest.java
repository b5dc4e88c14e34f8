package io.spotnest.orchestrator.model;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static io.spotnest.orchestrator.testing.States.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPlaced;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.journal.JournalRecord.CopyDropped;
import io.spotnest.orchestrator.journal.JournalRecord.CopyStarted;
import io.spotnest.orchestrator.journal.JournalRecord.HostLaunchRequested;
import io.spotnest.orchestrator.journal.JournalRecord.HostLaunched;
import io.spotnest.orchestrator.journal.JournalRecord.MoveFinished;
import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file-backed standby (issue 12 item 6) needs RAM on its backup only once a notice flushes it,
 * and a notice flushes the copies of one source host at once: the backup keeps free the largest sum
 * of one source's file-backed copies, not their total; RAM standbys count in full as before.
 */
class FileStandbyReservationTest {
  private static final long C = 8192;
  private final List<JournalRecord> journal = new ArrayList<>();
  private final FleetState s = new FleetState();

  private void apply(JournalRecord r) {
    journal.add(r);
    s.apply(r);
  }

  private void host(String id, PoolKey pool, Market market) {
    apply(new HostLaunchRequested("k-" + id, pool, market, C, T0));
    apply(new HostLaunched("k-" + id, id));
  }

  /** An agent online on {@code hostId}, its VM booted with {@code memory}. */
  private void agent(String id, long ramMiB, String hostId, MemoryBacking memory) {
    apply(new AgentRequested(id, ramMiB, Duration.ofHours(1), null));
    apply(new AgentPlaced(id, hostId));
    apply(new AgentPhaseChanged(id, AgentPhase.BOOTING, T0, "test", memory));
    apply(new AgentPhaseChanged(id, AgentPhase.ONLINE, T0, "test"));
  }

  private void copy(String agent, String from, boolean file) {
    apply(new CopyStarted("c-" + agent, agent, from, "b", T0, "test", file));
  }

  /**
   * Backup b (capacity 8192) runs 2048 of its own; s1 has 3072 + 2048 of agents to back up, s2
   * 4096: 9216 in all, more than the 6144 left, but each source's fits.
   */
  private void fleet(MemoryBacking memory) {
    host("b", OD, Market.ON_DEMAND);
    host("s1", SPOT_A, Market.SPOT);
    host("s2", SPOT_B, Market.SPOT);
    agent("own", 2048, "b", MemoryBacking.RAM);
    agent("a1", 3072, "s1", memory);
    agent("a2", 2048, "s1", memory);
    agent("a3", 4096, "s2", memory);
  }

  @Test
  void fileStandbysFromTwoSourcesReserveOnlyTheLargerSourcesSum() {
    fleet(MemoryBacking.FILE);
    copy("a1", "s1", true);
    copy("a2", "s1", true);
    copy("a3", "s2", true);

    assertEquals(2048 + 5120, s.usedMiB("b"), "own agents plus s1's 5120, not 9216");
    assertTrue(s.usedMiB("b") <= C);
    assertEquals(9216, s.standbyFileMiB("b"), "every standby's file is on b's disk");
    assertTrue(s.flushFits(s.copyOf("a3").orElseThrow()));
  }

  @Test
  void theSameStandbysInRamCountInFull() {
    fleet(MemoryBacking.RAM);
    copy("a1", "s1", false);
    copy("a2", "s1", false);
    copy("a3", "s2", false);

    assertEquals(2048 + 9216, s.usedMiB("b"), "over capacity: placement refuses the third");
    assertEquals(0, s.standbyFileMiB("b"));
  }

  @Test
  void theRoomACopyWouldTakeCountsFileCopiesBySourceAndRamCopiesInFull() {
    fleet(MemoryBacking.FILE);
    copy("a1", "s1", true);
    copy("a2", "s1", true);

    assertEquals(2048 + 5120, s.usedMiBWithCopy("b", "s2", 4096, true), "s2's 4096 < s1's 5120");
    assertEquals(2048 + 6144, s.usedMiBWithCopy("b", "s1", 1024, true), "s1 grows to 6144");
    assertEquals(2048 + 5120 + 4096, s.usedMiBWithCopy("b", "s2", 4096, false));
  }

  @Test
  void aFlushMakesItsSourcesVmsRamAndTheOtherSourcesCopiesNoLongerFit() {
    fleet(MemoryBacking.FILE);
    copy("a1", "s1", true);
    copy("a2", "s1", true);
    copy("a3", "s2", true);

    apply(new MoveStarted("m1", "a1", "s1", "b", T0.plusSeconds(120), true));
    assertEquals(
        2048 + 3072 + 4096,
        s.usedMiB("b"),
        "a1 moving in; s2's 4096 now the largest group: over capacity until s2's copy goes");
    assertTrue(s.flushFits(s.copyOf("a2").orElseThrow()), "the rest of s1 still fits");
    assertFalse(s.flushFits(s.copyOf("a3").orElseThrow()), "s2's no longer");
    apply(new MoveStarted("m2", "a2", "s1", "b", T0.plusSeconds(120), true));

    assertEquals(2048 + 5120 + 4096, s.usedMiB("b"), "s2's group now counts on top");
    assertFalse(s.flushFits(s.copyOf("a3").orElseThrow()), "s2's flush would over-commit b");
    assertEquals(MemoryBacking.SHARED_FILE, s.findAgent("a1").orElseThrow().memory());
    assertEquals(9216, s.standbyFileMiB("b"), "the flushed VMs run from their files on b");
    apply(new CopyDropped("c-a3", "test"));
    assertEquals(2048 + 5120, s.usedMiB("b"));
    assertEquals(5120, s.standbyFileMiB("b"));
  }

  @Test
  void aFlushThatLeavesTheVmOnItsSourceGivesItBackItsPrivateFile(@TempDir Path dir) {
    fleet(MemoryBacking.FILE);
    copy("a1", "s1", true);
    copy("a3", "s2", true);
    apply(new MoveStarted("m1", "a1", "s1", "b", T0.plusSeconds(120), true));
    assertEquals(MemoryBacking.SHARED_FILE, s.findAgent("a1").orElseThrow().memory());

    apply(new MoveFinished("m1", "s1", "flush failed: deadline passed, VM on the source"));

    assertEquals(
        MemoryBacking.FILE,
        s.findAgent("a1").orElseThrow().memory(),
        "it never ran from the standby's shared file");
    assertEquals(4096, s.standbyFileMiB("b"), "only a3's standby left in b's store");
    assertEquals(0, s.standbyFileMiB("s1"), "a private file on s1 stays sparse");
    FleetState replayed = new FleetState();
    try (FileJournal file = FileJournal.open(dir.resolve("journal.jsonl"))) {
      journal.forEach(file::append);
    }
    try (FileJournal file = FileJournal.open(dir.resolve("journal.jsonl"))) {
      file.replay().forEach(replayed::apply);
    }
    assertEquals(MemoryBacking.FILE, replayed.findAgent("a1").orElseThrow().memory());
    assertEquals(4096, replayed.standbyFileMiB("b"));
  }

  @Test
  void aFlushedVmWhoseNextMoveFailsStaysOnItsSharedFile() {
    fleet(MemoryBacking.FILE);
    copy("a1", "s1", true);
    apply(new MoveStarted("m1", "a1", "s1", "b", T0.plusSeconds(120), true));
    apply(new MoveFinished("m1", "b", "flushed"));
    apply(new MoveStarted("m2", "a1", "b", "s2", T0.plusSeconds(600), false));

    apply(new MoveFinished("m2", "b", "aborted, VM on the source"));

    assertEquals(MemoryBacking.SHARED_FILE, s.findAgent("a1").orElseThrow().memory());
    assertEquals(3072, s.standbyFileMiB("b"));
    assertEquals(0, s.standbyFileMiB("s2"));
  }

  @Test
  void aFileCopyOfAVmBootedInRamIsRefused() {
    fleet(MemoryBacking.RAM);
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class,
            () -> s.plan(new CopyStarted("c", "a1", "s1", "b", T0, "t", true)));
    assertTrue(e.getMessage().contains("RAM"), e.getMessage());
  }

  @Test
  void replayThroughTheFileJournalGivesTheSameReservation(@TempDir Path dir) {
    fleet(MemoryBacking.FILE);
    copy("a1", "s1", true);
    copy("a2", "s1", true);
    copy("a3", "s2", true);

    FleetState replayed = new FleetState();
    try (FileJournal file = FileJournal.open(dir.resolve("journal.jsonl"))) {
      journal.forEach(file::append);
    }
    try (FileJournal file = FileJournal.open(dir.resolve("journal.jsonl"))) {
      assertEquals(journal, file.replay());
      file.replay().forEach(replayed::apply);
    }
    assertEquals(s.usedMiB("b"), replayed.usedMiB("b"));
    assertEquals(s.standbyFileMiB("b"), replayed.standbyFileMiB("b"));
    assertEquals(MemoryBacking.FILE, replayed.findAgent("a1").orElseThrow().memory());
  }

  @Test
  void anOlderJournalWithoutTheNewFieldsReadsAsRam(@TempDir Path dir) throws Exception {
    host("b", OD, Market.ON_DEMAND);
    host("s1", SPOT_A, Market.SPOT);
    apply(new AgentRequested("a1", 3072, Duration.ofHours(1), null));
    apply(new AgentPlaced("a1", "s1"));
    apply(new AgentPhaseChanged("a1", AgentPhase.BOOTING, T0, "old"));
    apply(new AgentPhaseChanged("a1", AgentPhase.ONLINE, T0, "old"));
    apply(new CopyStarted("c1", "a1", "s1", "b", T0, "old"));
    Path p = dir.resolve("journal.jsonl");
    try (FileJournal file = FileJournal.open(p)) {
      journal.forEach(file::append);
    }
    String now = Files.readString(p);
    assertTrue(now.contains("\"fileStandby\":false"), now);
    String older = now.replaceAll(",?\"(memory|fileStandby)\":(null|false)", "");
    assertFalse(older.contains("memory") || older.contains("fileStandby"), older);
    Files.writeString(p, older); // as a controller before file-backed standbys journaled it

    FleetState replayed = new FleetState();
    try (FileJournal file = FileJournal.open(p)) {
      file.replay().forEach(replayed::apply);
    }
    assertEquals(MemoryBacking.RAM, replayed.findAgent("a1").orElseThrow().memory());
    assertFalse(replayed.copyOf("a1").orElseThrow().fileStandby(), "an old copy is in RAM");
    assertEquals(3072, replayed.usedMiB("b"), "counted in full");
  }
}
