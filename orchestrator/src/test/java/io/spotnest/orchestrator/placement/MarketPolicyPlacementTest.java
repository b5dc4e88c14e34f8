package io.spotnest.orchestrator.placement;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord.AgentPlaced;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.MarketPolicy;
import io.spotnest.orchestrator.testing.States;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MarketPolicyPlacementTest {
  private final Placement placement = new Placement(new Limits(10, 100, 2, 1, 0.2), 0);

  private final FleetState both =
      new States()
          .host("spot", SPOT_A, Market.SPOT, 8192)
          .host("od", OD, Market.ON_DEMAND, 8192)
          .agent("a1", 6144, "spot", true)
          .state();

  @Test
  void spotOnlyNeverGoesOnDemandEvenWhenNoSpotHostHasRoom() {
    assertEquals(
        Optional.of("spot"),
        placement.hostForNewAgent(2048, MarketPolicy.SPOT_ONLY, both, Map.of(SPOT_A, 0.01)));
    assertEquals(
        Optional.empty(),
        placement.hostForNewAgent(4096, MarketPolicy.SPOT_ONLY, both, Map.of(SPOT_A, 0.01)),
        "no spot room: it waits, the on-demand room stays unused");
    assertEquals(
        Optional.empty(),
        placement.hostForNewAgent(2048, MarketPolicy.SPOT_ONLY, both, Map.of(SPOT_A, 0.9)),
        "spot too risky: it waits");
  }

  @Test
  void onDemandOnlyNeverGoesOnSpotEvenWhenSpotIsSafeAndHasRoom() {
    assertEquals(
        Optional.of("od"),
        placement.hostForNewAgent(2048, MarketPolicy.ON_DEMAND_ONLY, both, Map.of(SPOT_A, 0.0)));
    FleetState spotOnly = new States().host("spot", SPOT_A, Market.SPOT, 8192).state();
    assertEquals(
        Optional.empty(),
        placement.hostForNewAgent(
            2048, MarketPolicy.ON_DEMAND_ONLY, spotOnly, Map.of(SPOT_A, 0.0)));
  }

  @Test
  void preferSpotTakesSpotRoomFirstAndOnDemandOnlyWhenNoSpotHostHasRoom() {
    assertEquals(
        Optional.of("spot"),
        placement.hostForNewAgent(2048, MarketPolicy.PREFER_SPOT, both, Map.of(SPOT_A, 0.01)));
    assertEquals(
        Optional.of("od"),
        placement.hostForNewAgent(4096, MarketPolicy.PREFER_SPOT, both, Map.of(SPOT_A, 0.01)));
    assertEquals(
        Optional.of("od"),
        placement.hostForNewAgent(2048, MarketPolicy.PREFER_SPOT, both, Map.of(SPOT_A, 0.9)));
  }

  @Test
  void anOnDemandOnlyAgentIsNeverMovedOntoSpot() {
    FleetState s =
        new States()
            .host("od", OD, Market.ON_DEMAND, 8192)
            .host("spot", SPOT_A, Market.SPOT, 8192)
            .host("od2", OD, Market.ON_DEMAND, 8192)
            .state();
    s.apply(new AgentRequested("a", 2048, Duration.ofHours(1), null, "t", "ON_DEMAND_ONLY", null));
    s.apply(new AgentPlaced("a", "od"));
    Agent a = s.findAgent("a").orElseThrow();

    assertEquals(Optional.of("od2"), placement.destinationFor(a, s, Map.of(SPOT_A, 0.0), Set.of()));
    assertEquals(
        Optional.empty(), placement.destinationFor(a, s, Map.of(SPOT_A, 0.0), Set.of("od2")));
    assertFalse(placement.canTake("spot", a, s, Set.of()), "a named spot destination is refused");
    assertTrue(placement.canTake("od2", a, s, Set.of()));
  }
}
