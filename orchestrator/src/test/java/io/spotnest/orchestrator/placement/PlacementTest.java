package io.spotnest.orchestrator.placement;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.Move;
import io.spotnest.orchestrator.testing.States;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private static final Limits LIMITS = new Limits(10, 100, 2, 1, 0.2);
  private final Placement placement = new Placement(LIMITS, 0);

  @Test
  void packsOntoTheFullestHostThatStillFits() {
    FleetState s =
        new States()
            .host("h1", SPOT_A, Market.SPOT, 8192)
            .host("h2", SPOT_A, Market.SPOT, 8192)
            .agent("a1", 6144, "h2", true)
            .state();
    assertEquals(Optional.of("h2"), placement.hostForNewAgent(2048, s, Map.of(SPOT_A, 0.01)));
    assertEquals(Optional.of("h1"), placement.hostForNewAgent(4096, s, Map.of(SPOT_A, 0.01)));
  }

  @Test
  void prefersTheLowRiskSpotPoolOverAFullerHost() {
    FleetState s =
        new States()
            .host("h1", SPOT_A, Market.SPOT, 8192)
            .host("h2", SPOT_B, Market.SPOT, 8192)
            .host("h3", OD, Market.ON_DEMAND, 8192)
            .agent("a1", 4096, "h1", true)
            .state();
    assertEquals(
        Optional.of("h2"), placement.hostForNewAgent(2048, s, Map.of(SPOT_A, 0.10, SPOT_B, 0.02)));
  }

  @Test
  void spotTooRiskyFallsBackToOnDemandAndUnknownRiskCountsAsTooRisky() {
    FleetState s =
        new States()
            .host("h1", SPOT_A, Market.SPOT, 8192)
            .host("h3", OD, Market.ON_DEMAND, 8192)
            .state();
    assertEquals(Optional.of("h3"), placement.hostForNewAgent(2048, s, Map.of(SPOT_A, 0.5)));
    assertEquals(Optional.of("h3"), placement.hostForNewAgent(2048, s, Map.of()));
  }

  @Test
  void onlyReadyHostsWithRoomTakeAgents() {
    FleetState s =
        new States()
            .host("h1", SPOT_A, Market.SPOT, 8192)
            .host("h2", SPOT_A, Market.SPOT, 8192)
            .host("h3", SPOT_A, Market.SPOT, 8192)
            .host("h4", SPOT_A, Market.SPOT, 4096)
            .hostPhase("h1", HostPhase.AT_RISK)
            .hostPhase("h2", HostPhase.DRAINING)
            .agent("a1", 2048, "h4", false)
            .state();
    assertEquals(Optional.of("h3"), placement.hostForNewAgent(4096, s, Map.of(SPOT_A, 0.01)));
    assertEquals(Optional.empty(), placement.hostForNewAgent(16384, s, Map.of(SPOT_A, 0.01)));
  }

  @Test
  void memoryOfAgentsMovingInIsReserved() {
    States b =
        new States()
            .host("h1", OD, Market.ON_DEMAND, 8192)
            .host("h2", OD, Market.ON_DEMAND, 8192)
            .agent("a1", 6144, "h1", true);
    b.state().apply(new MoveStarted("m1", "a1", "h1", "h2", States.T0.plusSeconds(600), false));
    assertEquals(
        Optional.empty(),
        placement.hostForNewAgent(4096, b.state(), Map.of()),
        "a1 still takes 6 GiB on h1 and its incoming copy 6 GiB on h2: 2 GiB free on each");
    assertTrue(placement.hostForNewAgent(2048, b.state(), Map.of()).isPresent());
  }

  @Test
  void anEvacuationGoesToSafeCapacityOtherThanItsSourceAndAvoidsFailedDestinations() {
    FleetState s =
        new States()
            .host("h1", SPOT_A, Market.SPOT, 8192)
            .host("h2", SPOT_A, Market.SPOT, 8192)
            .host("h3", OD, Market.ON_DEMAND, 8192)
            .host("h4", OD, Market.ON_DEMAND, 8192)
            .agent("a1", 2048, "h1", true)
            .agent("a2", 2048, "h4", true)
            .state();
    var a1 = s.findAgent("a1").orElseThrow();
    assertEquals(Optional.of("h4"), placement.destinationFor(a1, s, Map.of(SPOT_A, 0.3), Set.of()));
    assertEquals(
        Optional.of("h3"), placement.destinationFor(a1, s, Map.of(SPOT_A, 0.3), Set.of("h4")));
    assertEquals(
        Optional.of("h2"),
        placement.destinationFor(a1, s, Map.of(SPOT_A, 0.01), Set.of("h3", "h4")));
  }

  @Test
  void migrationSlotsCapEachHostAndEachLink() {
    Move m =
        new Move(
            "m1",
            "a1",
            "h1",
            "h2",
            States.T0,
            true,
            io.spotnest.orchestrator.lifecycle.AgentPhase.BUSY,
            io.spotnest.orchestrator.model.MemoryBacking.RAM);
    MigrationSlots slots = MigrationSlots.of(List.of(m), LIMITS);
    assertFalse(slots.take("h1", "h2"), "one move per link");
    assertFalse(slots.take("h2", "h1"), "a link is the pair of hosts, either way");
    assertTrue(slots.take("h1", "h3"));
    assertFalse(slots.take("h1", "h4"), "h1 already has two moves");
    assertTrue(slots.take("h5", "h2"));
    assertFalse(slots.take("h6", "h2"), "h2 already has two moves");
  }
}
