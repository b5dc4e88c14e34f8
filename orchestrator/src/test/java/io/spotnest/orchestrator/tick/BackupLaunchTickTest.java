package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord.HostLaunchRequested;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.StandingCopy;
import io.spotnest.orchestrator.placement.Limits;
import io.spotnest.orchestrator.testing.Rig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A standing copy that no existing host can take (no room, or only hosts of the source's pool while
 * that pool is too risky to take agents) gets a backup host launched through the orchestrator's
 * usual launch path: on-demand, journaled before the cloud is asked, within the host limit, and
 * capacity already launching counts (issue 12).
 */
class BackupLaunchTickTest {
  private final Rig rig = new Rig();

  private List<HostLaunchRequested> launches() {
    return rig.journal.replay().stream()
        .filter(r -> r instanceof HostLaunchRequested)
        .map(r -> (HostLaunchRequested) r)
        .filter(r -> !r.launchKey().startsWith("seed-"))
        .toList();
  }

  @Test
  void withOnlyTheSourcesRiskyPoolAnOnDemandBackupIsLaunchedOnceAndTheCopiesGoThere() {
    String h1 = rig.host(SPOT_A, Market.SPOT);
    String h2 = rig.host(SPOT_A, Market.SPOT); // room, but in the source's pool at risk
    String a1 = rig.copyAgent(h1, 2048, true);
    String a2 = rig.copyAgent(h1, 2048, true);
    rig.strategy.risk.put(SPOT_A, 0.6);
    rig.start();
    rig.strategy.standingCopies.addAll(List.of(a1, a2));

    rig.o().tick();

    assertEquals(1, launches().size(), "one host holds both copies: " + launches());
    assertEquals(Market.ON_DEMAND, launches().get(0).market());
    assertEquals(OD, launches().get(0).pool());
    assertEquals(List.of(), rig.world.violations(), "journaled before the cloud was asked");
    assertTrue(rig.o().state().copies().isEmpty(), "no copy on " + h2 + " in the risky pool");

    rig.o().tick();
    rig.o().tick();

    String backup =
        rig.world.hosts().values().stream()
            .filter(h -> h.launchKey().equals(launches().get(0).launchKey()))
            .findFirst()
            .orElseThrow()
            .id();
    assertEquals(
        List.of(backup, backup),
        rig.o().state().copies().stream().map(StandingCopy::backup).toList());
    assertEquals(Map.of(a1, backup, a2, backup), rig.world.standbys());
    assertEquals(1, launches().size(), "no second launch once the copies stand");
    assertEquals(List.of(), rig.world.violations());
  }

  @Test
  void noBackupIsLaunchedBeyondTheHostLimit() {
    rig.limits = new Limits(2, 200, 4, 2, 0.2);
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(SPOT_A, Market.SPOT);
    String a1 = rig.copyAgent(h1, 2048, true);
    rig.strategy.risk.put(SPOT_A, 0.6);
    rig.start();
    rig.strategy.standingCopies.add(a1);

    rig.o().tick();
    rig.o().tick();

    assertEquals(List.of(), launches());
    assertTrue(rig.o().state().copies().isEmpty());
  }

  @Test
  void noBackupIsLaunchedWhileAnExistingHostHasRoomButNoFreeSlot() {
    rig.limits = new Limits(20, 200, 1, 1, 0.2);
    String h1 = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.copyAgent(h1, 2048, true);
    String a2 = rig.copyAgent(h1, 2048, true);
    rig.start();
    rig.strategy.standingCopies.addAll(List.of(a1, a2));

    rig.o().tick();
    rig.o().tick();

    assertEquals(1, rig.o().state().copies().size(), "h1's one slot");
    assertEquals(List.of(), launches(), "a2 waits for the slot, not for a host");
  }
}
