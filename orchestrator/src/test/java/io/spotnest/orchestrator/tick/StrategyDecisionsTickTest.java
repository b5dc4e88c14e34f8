package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.LiveHostView;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.port.SpareLaunch;
import io.spotnest.orchestrator.testing.Rig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The control loop acts on the strategy's destinations and spares, and shows it the whole live
 * fleet.
 */
class StrategyDecisionsTickTest {
  private final Rig rig = new Rig();

  @Test
  void theStrategysDestinationIsTheOneTheMoveGoesTo() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    String fuller = rig.host(OD, Market.ON_DEMAND);
    String emptier = rig.host(OD, Market.ON_DEMAND);
    rig.agent(fuller, 2048, true);
    String a = rig.agent(spot, 2048, true);
    rig.start();
    rig.strategy.evacuations.add(
        new Evacuation(
            a, spot, rig.clock.instant().plusSeconds(900), false, "test", Optional.of(emptier)));

    TickReport r = rig.o().tick();

    assertEquals(
        List.of(emptier),
        r.voluntaryStarted().stream().map(MoveOrder::to).toList(),
        "best fit alone would pick " + fuller);
  }

  @Test
  void aForcedEvacuationWhoseDestinationCannotTakeTheAgentFallsBackToPlacement() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(spot, 2048, true);
    rig.start();
    rig.strategy.evacuations.add(
        new Evacuation(
            a,
            spot,
            rig.clock.instant().plusSeconds(900),
            true,
            "test",
            Optional.of("no-such-host")));

    TickReport r = rig.o().tick();

    assertEquals(List.of(od), r.forcedStarted().stream().map(MoveOrder::to).toList());
  }

  @Test
  void aVoluntaryMoveWaitsForItsOwnDestinationRatherThanGoElsewhere() {
    String od = rig.host(OD, Market.ON_DEMAND);
    rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(od, 2048, true);
    rig.start();
    rig.strategy.evacuations.add(
        new Evacuation(
            a,
            od,
            rig.clock.instant().plusSeconds(900),
            false,
            "move back to spot",
            Optional.of("launch-not-ready-yet")));

    TickReport r = rig.o().tick();

    assertEquals(List.of(), r.voluntaryStarted(), "a move back goes to its spot host or nowhere");
  }

  @Test
  void sparesTheStrategyAsksForAreLaunchedOnDemandOnce() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.agent(spot, 2048, true);
    rig.start();
    rig.strategy.spares.add(new SpareLaunch(OD.zoneId(), 2048));

    TickReport r = rig.o().tick();

    assertEquals(1, r.hostsLaunched());
    assertEquals(Market.ON_DEMAND, rig.o().state().launching().iterator().next().market());
  }

  @Test
  void aSpotHostTheStrategyAsksForIsLaunchedInThatPool() {
    String od = rig.host(OD, Market.ON_DEMAND);
    rig.agent(od, 2048, true);
    rig.start();
    rig.strategy.spotLaunches.add(SPOT_A);

    TickReport r = rig.o().tick();

    assertEquals(1, r.hostsLaunched());
    var launching = rig.o().state().launching().iterator().next();
    assertEquals(Market.SPOT, launching.market());
    assertEquals(SPOT_A, launching.pool());
  }

  @Test
  void theStrategySeesOnDemandHostsAndMigratingAgents() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(od, 2048, true);
    rig.agent(spot, 1024, false);
    rig.start();

    rig.o().tick();

    LiveHostView v =
        rig.strategy.lastLive.stream().filter(h -> h.hostId().equals(od)).findFirst().orElseThrow();
    assertEquals(Market.ON_DEMAND, v.market());
    assertEquals(2048, v.usedMiB());
    assertEquals(List.of(a), v.agents().stream().map(x -> x.agentId()).toList());
    assertTrue(v.takesAgents());
    assertEquals(2, rig.strategy.lastLive.size());
  }
}
