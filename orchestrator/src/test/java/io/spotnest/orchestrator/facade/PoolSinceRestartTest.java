package io.spotnest.orchestrator.facade;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.testing.FakeWorld;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.orchestrator.view.FleetSnapshot;
import io.spotnest.orchestrator.view.PoolStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool closed by a failed spot launch shows when it was closed, also after the controller
 * restarts from its file journal: the closure journals its own time.
 */
class PoolSinceRestartTest {
  @TempDir Path dir;

  private final FakeWorld world = new FakeWorld();

  @Test
  void theTimeAPoolWasClosedSurvivesARestart() {
    Path file = dir.resolve("journal.jsonl");
    Instant failedAt;
    try (FileJournal journal = FileJournal.open(file)) {
      Rig first = new Rig(journal, world);
      String od = first.host(OD, Market.ON_DEMAND);
      first.agent(od, 2048, true);
      FleetRuntime before = start(first);
      world.noSpotCapacityIn(SPOT_A);
      first.strategy.spotLaunches.add(SPOT_A);
      assertEquals(1, before.tick().hostsLaunched(), "the spot launch is tried");
      first.clock.advance(Duration.ofSeconds(30));
      failedAt = first.clock.instant();
      before.tick();
      PoolStatus seen = pool(before.view().snapshot());
      assertEquals(PoolStatus.State.CLOSED, seen.state());
      assertEquals(failedAt, seen.since(), "the run that closed it saw it happen");
    }

    try (FileJournal journal = FileJournal.open(file)) {
      Rig restarted = new Rig(journal, world);
      Instant later = failedAt.plus(Duration.ofMinutes(7));
      restarted.clock.advance(Duration.between(restarted.clock.instant(), later));
      world.now(later);
      FleetRuntime after = start(restarted);

      PoolStatus replayed = pool(after.view().snapshot());
      assertEquals(PoolStatus.State.CLOSED, replayed.state());
      assertEquals(failedAt, replayed.since(), "the journaled time, not the restart's");
      assertEquals(failedAt.plus(FleetConfig.DEFAULT_CAPACITY_HOLD), replayed.until());
    }
  }

  private static FleetRuntime start(Rig rig) {
    return FleetRuntime.start(
        rig.clock,
        rig.journal,
        new Orchestrator.Ports(rig.world, rig.world, rig.world, rig.world, rig.strategy),
        new FleetConfig(
            Rig.OFFERS, rig.limits, rig.warm, 0.05, Duration.ofMinutes(30), Duration.ofMinutes(5)),
        rig.ids(),
        Duration.ofMinutes(20));
  }

  private static PoolStatus pool(FleetSnapshot s) {
    return s.pools().stream()
        .filter(p -> p.pool().equals(SPOT_A))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no pool " + SPOT_A + " in " + s.pools()));
  }
}
