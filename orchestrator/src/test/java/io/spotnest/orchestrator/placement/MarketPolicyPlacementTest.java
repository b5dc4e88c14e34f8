package io.spotnest.orchestrator.placement;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.MarketPolicy;
import io.spotnest.orchestrator.testing.States;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MarketPolicyPlacementTest {
  private final Placement placement = new Placement(new Limits(10, 100, 2, 1, 0.2));

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
}
