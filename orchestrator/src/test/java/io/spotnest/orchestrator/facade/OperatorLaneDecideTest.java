package io.spotnest.orchestrator.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.port.Assessment;
import io.spotnest.orchestrator.port.LiveHostView;
import io.spotnest.orchestrator.port.PoolSignals;
import io.spotnest.orchestrator.port.SpareLaunch;
import io.spotnest.orchestrator.testing.FakeStrategy;
import io.spotnest.orchestrator.testing.States;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The operators' lane passes the whole fleet to the strategy it wraps and keeps its spares. */
class OperatorLaneDecideTest {
  @Test
  void theWrappedStrategySeesOnDemandHostsAndItsSparesSurvive() {
    FakeStrategy inner = new FakeStrategy();
    inner.spares.add(new SpareLaunch(States.OD.zoneId(), 2048));
    OperatorLane lane = new OperatorLane(inner, Duration.ofMinutes(10));
    LiveHostView od =
        new LiveHostView(
            "od1",
            Market.ON_DEMAND,
            States.OD,
            8192,
            0,
            States.T0,
            true,
            Optional.empty(),
            false,
            States.T0,
            List.of());

    Assessment a = lane.decide(States.T0, List.<PoolSignals>of(), List.of(od));

    assertEquals(List.of(od), inner.lastLive);
    assertEquals(inner.spares, a.spares());
  }
}
