package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.MemoryBacking;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.testing.Rig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A VM flushed from a file-backed standby runs from a shared file, and libvirt carries that file
 * along when it moves on (issue 12 item 6): its destination needs room for it in its standby store,
 * not only in RAM.
 */
class SharedFileMoveTickTest {
  private final Rig rig = new Rig();

  private FleetState state() {
    return rig.o().state();
  }

  /**
   * Spot h1 runs a1 (3072, in a private file) with a file-backed standby on od; od2 runs a VM from
   * a shared file of 2048 (the fullest host), od3 is empty; each host has 4096 of standby store.
   */
  private record Fleet(String h1, String od, String od2, String od3, String a1) {}

  private Fleet fleet() {
    rig.standbyStoreMiB = 4096;
    rig.vmMemory = MemoryBacking.FILE;
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String od2 = rig.host(OD, Market.ON_DEMAND);
    String od3 = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 3072, true);
    rig.vmMemory = MemoryBacking.SHARED_FILE; // flushed there before
    rig.agent(od2, 2048, true);
    rig.vmMemory = MemoryBacking.FILE;
    rig.strategy.risk.put(SPOT_A, 0.1);
    rig.start();
    rig.strategy.standingCopies.add(a1);
    rig.o().tick();
    assertEquals(od, state().copyOf(a1).orElseThrow().backup(), "od2's store has no room left");
    return new Fleet(h1, od, od2, od3, a1);
  }

  @Test
  void aFlushedVmMovingOnGoesOnlyWhereTheStandbyStoreHasRoomForItsFile() {
    Fleet f = fleet();
    rig.notice(f.h1(), 120);
    rig.o().tick();
    rig.strategy.standingCopies.clear(); // no second copy: the move on is a plain move
    rig.o().tick();
    assertEquals(f.od(), state().findAgent(f.a1()).orElseThrow().hostId(), "flushed onto od");
    assertEquals(MemoryBacking.SHARED_FILE, state().findAgent(f.a1()).orElseThrow().memory());

    rig.notice(f.od(), 600);
    TickReport r = rig.o().tick();

    assertEquals(1, r.forcedStarted().size(), r.toString());
    assertEquals(
        f.od3(),
        r.forcedStarted().get(0).to(),
        "od2 is fuller but 2048 + 3072 of files would pass its 4096 of store");
    assertTrue(state().standbyFileMiB(f.od2()) <= 4096);
    rig.world.completeMoves();
    rig.o().tick();
    assertEquals(f.od3(), state().findAgent(f.a1()).orElseThrow().hostId());
    assertEquals(3072, state().standbyFileMiB(f.od3()), "its file came along");
    assertEquals(List.of(), rig.world.violations());
  }

  @Test
  void aMoveTheStrategyNamesToAHostWithoutStoreForTheFileWaits() {
    Fleet f = fleet();
    rig.notice(f.h1(), 120);
    rig.o().tick();
    rig.strategy.standingCopies.clear();
    rig.o().tick();
    java.time.Instant by = rig.clock.instant().plusSeconds(1800);
    rig.strategy.evacuations.add(
        new Evacuation(f.a1(), f.od(), by, false, "consolidation", Optional.of(f.od2())));

    TickReport r = rig.o().tick();

    assertEquals(List.of(), r.voluntaryStarted(), "od2's store has 2048 of 4096 free");
    assertEquals(f.od(), state().findAgent(f.a1()).orElseThrow().hostId());
    rig.strategy.evacuations.clear();
    rig.strategy.evacuations.add(
        new Evacuation(f.a1(), f.od(), by, false, "consolidation", Optional.of(f.od3())));
    r = rig.o().tick();
    assertEquals(f.od3(), r.voluntaryStarted().get(0).to(), r.toString());
  }

  @Test
  void aVmWhoseFileNoStoreCanTakeIsNotMovedAndLaunchesNoHost() {
    rig.vmMemory = MemoryBacking.SHARED_FILE; // flushed from a file standby before
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String shared = rig.agent(spot, 2048, true);
    rig.vmMemory = MemoryBacking.FILE;
    rig.standbyStoreMiB = 1024; // the operator shrank the store below its file
    rig.start();
    int seeded = rig.world.launchAttempts().size();
    rig.notice(spot, 120);

    TickReport r = rig.o().tick();
    rig.o().tick();

    assertEquals(List.of(), r.forcedStarted(), "no host's store takes its 2048 of file");
    assertEquals(spot, state().findAgent(shared).orElseThrow().hostId());
    assertEquals(
        seeded, rig.world.launchAttempts().size(), "a new host's store could not take it either");
  }
}
