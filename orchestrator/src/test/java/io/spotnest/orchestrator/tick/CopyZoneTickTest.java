package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord.CopyStarted;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.CrossZoneCopyCost;
import io.spotnest.orchestrator.testing.Rig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A standing copy's backup is in its source's zone when that zone has room: a stream between zones
 * is billed on both sides (issue 12 item 4). When only another zone has room the copy goes there,
 * and the journal and the tick report say what its traffic costs, as the strategy prices it.
 */
class CopyZoneTickTest {
  /** An on-demand pool in SPOT_A's zone (another instance type, so another pool). */
  static final PoolKey OD_IN_A = new PoolKey("m8i.2xlarge", SPOT_A.zoneId());

  private final Rig rig = new Rig();

  private List<CopyStarted> started() {
    return rig.journal.replay().stream()
        .filter(r -> r instanceof CopyStarted)
        .map(r -> (CopyStarted) r)
        .toList();
  }

  @Test
  void theBackupIsInTheSourcesZoneEvenWhenAnotherZonesHostIsAsSafeAndFuller() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String inZone = rig.host(OD_IN_A, Market.ON_DEMAND);
    String elsewhere = rig.host(OD, Market.ON_DEMAND);
    rig.agent(elsewhere, 2048, true); // best fit alone would pick this fuller host
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.start();
    rig.strategy.standingCopies.add(a1);

    TickReport report = rig.o().tick();

    assertEquals(inZone, rig.o().state().copyOf(a1).orElseThrow().backup());
    assertFalse(started().get(0).reason().contains("cross-zone"), started().get(0).reason());
    assertEquals(List.of(), report.crossZoneCopies());
  }

  @Test
  void whenOnlyAnotherZoneHasRoomTheCopyGoesThereAndItsTransferIsJournaledAndReported() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String elsewhere = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.start();
    rig.strategy.standingCopies.add(a1);
    rig.strategy.crossZone = Optional.of(new CrossZoneCopyCost(450, 9.66, 2, 0.043));

    TickReport report = rig.o().tick();

    assertEquals(elsewhere, rig.o().state().copyOf(a1).orElseThrow().backup());
    String reason = started().get(0).reason();
    assertTrue(reason.contains("cross-zone use1-az1 -> use1-az3"), reason);
    assertTrue(reason.contains("450 GiB/h (9.66 USD/h)"), reason);
    assertTrue(reason.contains("2.0 GiB (0.04 USD)"), reason);
    assertEquals(1, report.crossZoneCopies().size(), report.toString());
    assertTrue(report.crossZoneCopies().get(0).contains(a1), report.crossZoneCopies().toString());
    assertTrue(report.crossZoneCopies().get(0).contains("9.66 USD/h"));
  }

  @Test
  void aStrategyThatDoesNotPriceTransferLeavesTheCrossZoneCopyMarkedUnpriced() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.start();
    rig.strategy.standingCopies.add(a1);

    rig.o().tick();

    String reason = started().get(0).reason();
    assertTrue(reason.contains("cross-zone use1-az1 -> use1-az3"), reason);
    assertTrue(reason.contains("unpriced"), reason);
  }
}
