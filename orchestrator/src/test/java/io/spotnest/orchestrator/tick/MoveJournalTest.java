package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.MoveFinished;
import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.journal.JournalRecord.OperatorAction;
import io.spotnest.orchestrator.journal.JournalRecord.OperatorRequested;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.testing.Rig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A move's when, why, duration and pause reach the journal, and survive a file round trip. */
class MoveJournalTest {
  private final Rig rig = new Rig();

  @Test
  void aMoveIsJournaledWithItsStartReasonDurationAndPause(@TempDir Path dir) {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    rig.agent(h1, 2048, true);
    rig.start();
    rig.world.event(
        new FleetEvent.Notice(
            "sqs-1", h1, "sqs", rig.clock.instant(), rig.clock.instant().plusSeconds(120)));
    rig.o().tick();
    rig.clock.advance(Duration.ofSeconds(9));
    rig.world.completeMoves(Duration.ofMillis(8_400), Duration.ofMillis(212));
    rig.o().tick();

    List<JournalRecord> records = rig.journal.replay();
    MoveStarted started = only(records, MoveStarted.class);
    MoveFinished finished = only(records, MoveFinished.class);
    assertEquals(rig.clock.instant().minusSeconds(9), started.at());
    assertEquals("interruption notice", started.reason());
    assertEquals(Duration.ofMillis(8_400), finished.took());
    assertEquals(Duration.ofMillis(212), finished.paused());

    try (FileJournal file = FileJournal.open(dir.resolve("journal.jsonl"))) {
      records.forEach(file::append);
    }
    try (FileJournal file = FileJournal.open(dir.resolve("journal.jsonl"))) {
      assertEquals(records, file.replay());
    }
  }

  @Test
  void anOperatorRequestMustNameSomethingKnown() {
    rig.host(OD, Market.ON_DEMAND);
    rig.start();
    assertThrows(
        IllegalStateException.class,
        () ->
            rig.o()
                .record(
                    new OperatorRequested(
                        "op-1", OperatorAction.MIGRATE_NOW, "no-such-agent", rig.clock.instant())));
    assertThrows(
        IllegalStateException.class,
        () ->
            rig.o()
                .record(
                    new OperatorRequested(
                        "op-2", OperatorAction.DRAIN_HOST, "no-such-host", rig.clock.instant())));
    assertEquals(
        0, rig.journal.replay().stream().filter(r -> r instanceof OperatorRequested).count());
  }

  private static <T> T only(List<JournalRecord> records, Class<T> type) {
    List<T> found = records.stream().filter(type::isInstance).map(type::cast).toList();
    assertEquals(1, found.size(), type.getSimpleName() + ": " + found);
    return found.get(0);
  }
}
