package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.orchestrator.adapter.strategy.FleetRiskStrategy;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.strategy.policy.MigrationAssumptions;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator running the real fleet strategy: its notice destinations are the strategy's, not
 * placement's.
 */
class FleetStrategyTickTest {
  private final Rig rig = new Rig();

  @Test
  void aNoticedAgentGoesWhereTheFleetStrategySendsIt() {
    rig.strategyPort =
        new FleetRiskStrategy(
            new HazardRiskModel(HazardParameters.DEFAULTS),
            PolicyParameters.DEFAULTS,
            new ParametricMigrationEstimator(MigrationAssumptions.DEFAULTS),
            FleetRiskStrategy.Settings.simulated(Rig.HOST_MIB / 1024.0, OD.zoneId()));
    String noticed = rig.host(SPOT_A, Market.SPOT);
    String calmSpot = rig.host(SPOT_B, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    rig.agent(od, 2048, true);
    rig.agent(calmSpot, 4096, true);
    String a = rig.agent(noticed, 2048, true);
    for (var pool : List.of(SPOT_A, SPOT_B)) {
      rig.world.quote(new MarketQuote(pool, rig.clock.instant(), 0.1, 0.4, OptionalInt.of(0)));
    }
    rig.start();
    Instant deadline = rig.clock.instant().plusSeconds(120);
    rig.world.event(new FleetEvent.Notice("sqs-1", noticed, "sqs", rig.clock.instant(), deadline));

    TickReport r = rig.o().tick();

    assertEquals(
        List.of(
            new MoveOrder(r.forcedStarted().get(0).moveId(), a, noticed, calmSpot, deadline, true)),
        r.forcedStarted(),
        "the fullest acceptable host of the region (a calm spot pool), where placement would pick "
            + od);
  }
}
