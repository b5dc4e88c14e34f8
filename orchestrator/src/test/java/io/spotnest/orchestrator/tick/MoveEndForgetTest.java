package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.InMemoryJournal;
import io.spotnest.orchestrator.journal.Journal;
import io.spotnest.orchestrator.journal.JournalIoException;
import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.MoveFinished;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.testing.FakeWorld;
import io.spotnest.orchestrator.testing.Rig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mover keeps a move's end until the orchestrator has journaled it ({@code AgentMover.forget}):
 * an end read in a tick whose journal write failed is read again in the next, not lost.
 */
class MoveEndForgetTest {

  /** A journal whose disk refuses the next move's end once. */
  private static final class FailsOneMoveEnd implements Journal {
    final InMemoryJournal inner = new InMemoryJournal();
    boolean armed;

    @Override
    public void append(JournalRecord r) {
      if (armed && r instanceof MoveFinished) {
        armed = false;
        throw new JournalIoException("disk full", new IOException("No space left on device"));
      }
      inner.append(r);
    }

    @Override
    public List<JournalRecord> replay() {
      return inner.replay();
    }
  }

  private final FailsOneMoveEnd journal = new FailsOneMoveEnd();
  private final Rig rig = new Rig(journal, new FakeWorld());

  @Test
  void aMoveEndIsForgottenByTheMoverOnlyOnceItIsJournaled() {
    String src = rig.host(SPOT_A, Market.SPOT);
    String dst = rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(src, 2048, true);
    rig.start();
    rig.world.event(
        new FleetEvent.Notice(
            "n-1", src, "sqs", rig.clock.instant(), rig.clock.instant().plusSeconds(120)));
    MoveOrder move = rig.o().tick().forcedStarted().get(0);
    rig.clock.advance(Duration.ofSeconds(9));
    rig.world.completeMoves();
    journal.armed = true;

    assertThrows(JournalIoException.class, () -> rig.o().tick());

    assertEquals(List.of(), rig.world.forgotten(), "the end is not journaled: the mover keeps it");
    rig.o().tick();
    assertEquals(List.of(move.moveId()), rig.world.forgotten(), "journaled, then forgotten");
    assertEquals(List.of(), rig.o().lostBuilds(), "the end read again, not an unknown move");
    Agent after = rig.o().state().findAgent(a).orElseThrow();
    assertEquals(AgentPhase.BUSY, after.phase());
    assertEquals(dst, after.hostId());
    assertTrue(rig.world.violations().isEmpty(), rig.world.violations().toString());
  }

  @Test
  void aMoveEndReadWhenItsSourceVanishesIsForgottenOnceJournaled() {
    String src = rig.host(SPOT_A, Market.SPOT);
    String dst = rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(src, 2048, true);
    rig.start();
    rig.world.event(
        new FleetEvent.Notice(
            "n-1", src, "sqs", rig.clock.instant(), rig.clock.instant().plusSeconds(120)));
    MoveOrder move = rig.o().tick().forcedStarted().get(0);
    rig.world.completeMoves();

    rig.world.reclaim(src); // the host loss reads the move's end before the tracker does
    rig.o().tick();

    assertEquals(List.of(move.moveId()), rig.world.forgotten());
    assertEquals(dst, rig.o().state().findAgent(a).orElseThrow().hostId());
    assertEquals(List.of(), rig.o().lostBuilds());
  }
}
