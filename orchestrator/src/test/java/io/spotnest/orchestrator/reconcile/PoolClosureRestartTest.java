package io.spotnest.orchestrator.reconcile;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.model.ClosureKind;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.testing.FakeWorld;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.orchestrator.tick.FleetConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed spot launch closes its pool for the capacity hold; the closure is journaled with its end
 * before it takes effect, so a controller restarted from its file journal keeps the pool closed
 * until the hold ends (and an expired closure is ignored).
 */
class PoolClosureRestartTest {
  @TempDir Path dir;

  private final FakeWorld world = new FakeWorld();

  @Test
  void aPoolClosedBeforeARestartStaysClosedUntilTheHoldEnds() {
    Path file = dir.resolve("journal.jsonl");
    Instant failedAt;
    try (FileJournal journal = FileJournal.open(file)) {
      Rig first = new Rig(journal, world);
      String od = first.host(OD, Market.ON_DEMAND);
      first.agent(od, 2048, true);
      first.start();
      world.noSpotCapacityIn(SPOT_A);
      first.strategy.spotLaunches.add(SPOT_A);
      assertEquals(1, first.o().tick().hostsLaunched(), "the spot launch is tried");
      first.clock.advance(Duration.ofSeconds(30));
      failedAt = first.clock.instant();
      assertEquals(0, first.o().tick().hostsLaunched(), "closed after the launch failed");
      List<JournalRecord.PoolClosed> closed =
          journal.replay().stream()
              .filter(JournalRecord.PoolClosed.class::isInstance)
              .map(JournalRecord.PoolClosed.class::cast)
              .toList();
      assertEquals(1, closed.size(), "the closure is journaled once");
      assertEquals(SPOT_A, closed.get(0).pool());
      assertEquals(failedAt.plus(FleetConfig.DEFAULT_CAPACITY_HOLD), closed.get(0).until());
      assertEquals(ClosureKind.NO_CAPACITY, closed.get(0).kind(), "a spot launch without capacity");
    }

    try (FileJournal journal = FileJournal.open(file)) {
      Rig restarted = restartAt(journal, failedAt.plus(Duration.ofMinutes(1)));
      assertEquals(
          0, restarted.o().tick().hostsLaunched(), "the restarted controller keeps it closed");
      restarted.clock.advance(FleetConfig.DEFAULT_CAPACITY_HOLD.minus(Duration.ofMinutes(2)));
      assertEquals(0, restarted.o().tick().hostsLaunched(), "still within the hold");
      restarted.clock.advance(Duration.ofMinutes(1));
      assertEquals(1, restarted.o().tick().hostsLaunched(), "tried again once the hold ended");
    }
    assertEquals(2, world.launchAttempts().stream().filter(SPOT_A::equals).count());
  }

  @Test
  void aClosureThatExpiredWhileTheControllerWasDownIsIgnored() {
    Path file = dir.resolve("journal.jsonl");
    Instant failedAt;
    try (FileJournal journal = FileJournal.open(file)) {
      Rig first = new Rig(journal, world);
      String od = first.host(OD, Market.ON_DEMAND);
      first.agent(od, 2048, true);
      first.start();
      world.noSpotCapacityIn(SPOT_A);
      first.strategy.spotLaunches.add(SPOT_A);
      first.o().tick();
      first.clock.advance(Duration.ofSeconds(30));
      failedAt = first.clock.instant();
      first.o().tick();
    }
    try (FileJournal journal = FileJournal.open(file)) {
      Rig restarted =
          restartAt(journal, failedAt.plus(FleetConfig.DEFAULT_CAPACITY_HOLD).plusSeconds(1));
      assertEquals(1, restarted.o().tick().hostsLaunched(), "the hold is over: tried at once");
      assertTrue(restarted.o().state().poolOpen(OD, restarted.clock.instant()));
    }
  }

  private Rig restartAt(FileJournal journal, Instant at) {
    Rig r = new Rig(journal, world);
    r.clock.advance(Duration.between(r.clock.instant(), at));
    world.now(at);
    r.strategy.spotLaunches.add(SPOT_A);
    r.start();
    return r;
  }
}
