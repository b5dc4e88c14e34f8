package io.spotnest.orchestrator.reconcile;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.journal.JournalRecord.CopyDropped;
import io.spotnest.orchestrator.journal.JournalRecord.CopyStarted;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.port.CopyOrder;
import io.spotnest.orchestrator.testing.FakeWorld;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.strategy.fleet.CopyRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller restart neither loses nor duplicates a standing copy: the journal's copies are
 * dropped cleanly and asked for again, and a paused incoming copy no record owns is removed.
 */
class CopyRestartTest {
  private final Rig rig = new Rig();

  @Test
  void aJournaledCopyWhoseStreamDiedWithTheControllerIsDroppedCleanlyAndAskedForAgainOnce() {
    Rig.CopiedAgent copied = rig.startWithACopy();
    String before = rig.o().state().copyOf(copied.agent()).orElseThrow().copyId();

    Rig restarted = new Rig(rig.journal, rig.world.copy()); // the mover's streams are gone
    restarted.start();
    assertTrue(restarted.o().state().copies().isEmpty(), "dropped at reconcile");
    assertEquals(Map.of(), restarted.world.standbys(), "the old copy is removed from the backup");
    restarted.strategy.standingCopies.add(copied.agent());
    restarted.o().tick();
    restarted.o().tick();

    String after = restarted.o().state().copyOf(copied.agent()).orElseThrow().copyId();
    assertTrue(!after.equals(before), "a new copy, not the dead one");
    assertEquals(Map.of(copied.agent(), copied.backup()), restarted.world.standbys());
    assertEquals(1, restarted.world.streams().size(), "exactly one copy");
    assertEquals(2048, restarted.o().state().usedMiB(copied.backup()), "one reservation");
    assertEquals(List.of(), restarted.world.violations());
  }

  @Test
  void theAgentsWishSurvivesARestartFromTheFileJournalAndAnOlderRequestReadsAsNoWish(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("journal.jsonl");
    FileJournal first = FileJournal.open(file);
    Rig before = new Rig(first, new FakeWorld());
    String h1 = before.host(SPOT_A, Market.SPOT);
    String od = before.host(OD, Market.ON_DEMAND);
    String asked = before.copyAgent(h1, 2048, true);
    String notAsked = before.agent(h1, 1024, true);
    before.start();
    before.o().tick();
    first.close();
    Files.writeString( // a request as an older controller journaled it: no standingCopy field
        file,
        "{\"type\":\"agent-requested\",\"agentId\":\"older\",\"ramMiB\":1024,"
            + "\"expectedBuild\":\"PT1H\"}\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    try (FileJournal reopened = FileJournal.open(file)) {
      Rig restarted = new Rig(reopened, before.world.copy());
      restarted.start();
      restarted.strategy.standingCopies.addAll(List.of(asked, notAsked, "older"));
      restarted.o().tick();

      FleetState s = restarted.o().state();
      assertTrue(s.findAgent(asked).orElseThrow().standingCopy(), "replayed with its wish");
      assertFalse(s.findAgent(notAsked).orElseThrow().standingCopy());
      assertFalse(s.findAgent("older").orElseThrow().standingCopy(), "missing field: no wish");
      assertEquals(CopyRequest.REFUSED, s.findAgent("older").orElseThrow().copy(), "never copied");
      assertEquals(Map.of(asked, od), restarted.world.standbys(), "only the asking agent's copy");
      assertEquals(
          List.of(asked),
          reopened.replay().stream()
              .filter(r -> r instanceof CopyStarted)
              .map(r -> ((CopyStarted) r).agentId())
              .distinct()
              .toList());
      assertEquals(List.of(), restarted.world.violations());
    }
  }

  @Test
  void oldYesNoWishesReadAsAskedAndRefusedAndANewRequestLeftToTheFleetRoundTrips(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("journal.jsonl");
    try (FileJournal first = FileJournal.open(file)) {
      first.append(
          new AgentRequested(
              "left", 1024, Duration.ofHours(1), null, null, null, null, CopyRequest.UNSET));
    }
    Files.writeString( // requests as a controller with a yes/no wish journaled them
        file,
        "{\"type\":\"agent-requested\",\"agentId\":\"yes\",\"ramMiB\":1024,"
            + "\"expectedBuild\":\"PT1H\",\"standingCopy\":true}\n"
            + "{\"type\":\"agent-requested\",\"agentId\":\"no\",\"ramMiB\":1024,"
            + "\"expectedBuild\":\"PT1H\",\"standingCopy\":false}\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    try (FileJournal reopened = FileJournal.open(file)) {
      Map<String, CopyRequest> read = new java.util.HashMap<>();
      for (var r : reopened.replay()) {
        if (r instanceof AgentRequested q) {
          read.put(q.agentId(), q.wish());
        }
      }
      assertEquals(
          Map.of("left", CopyRequest.UNSET, "yes", CopyRequest.ASKED, "no", CopyRequest.REFUSED),
          read);
      FleetState s = new FleetState();
      reopened.replay().forEach(s::apply);
      assertEquals(CopyRequest.UNSET, s.findAgent("left").orElseThrow().copy());
      assertEquals(CopyRequest.REFUSED, s.findAgent("no").orElseThrow().copy(), "never copied");
    }
    String line = Files.readAllLines(file, StandardCharsets.UTF_8).get(0);
    assertTrue(line.contains("\"copyRequest\":\"UNSET\""), line);
    assertTrue(line.contains("\"standingCopy\":false"), "an older reader never copies it: " + line);
  }

  @Test
  void aJournaledCopyNeverStartedOnTheHostsIsDroppedAndAskedForAgain() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.journal.append(new CopyStarted("copy-x", a1, h1, od, rig.clock.instant(), "plan"));
    rig.start(); // killed after the record, before the mover was asked

    assertTrue(rig.o().state().copies().isEmpty());
    assertEquals(0, rig.o().state().usedMiB(od), "its reservation is freed");
    rig.strategy.standingCopies.add(a1);
    rig.o().tick();

    assertEquals(Map.of(a1, od), rig.world.standbys());
    assertEquals(List.of(), rig.world.violations());
  }

  @Test
  void aPausedIncomingCopyNoJournalRecordOwnsIsRemovedAtRestart() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.journal.append(new CopyStarted("copy-x", a1, h1, od, rig.clock.instant(), "plan"));
    rig.world.startCopy(new CopyOrder("copy-x", a1, h1, od));
    rig.journal.append(new CopyDropped("copy-x", "plan")); // killed before the mover stopped it

    rig.start();

    assertEquals(Map.of(), rig.world.standbys());
    assertEquals(List.of(a1 + "@" + od), rig.world.cleared());
    assertEquals(Map.of(a1, List.of(h1)), rig.world.copies(), "the running VM is untouched");
  }
}
