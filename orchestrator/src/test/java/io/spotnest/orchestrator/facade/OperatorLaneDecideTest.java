package io.spotnest.orchestrator.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.port.Assessment;
import io.spotnest.orchestrator.port.LiveHostView;
import io.spotnest.orchestrator.port.PoolDrain;
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

  @Test
  void withAnOperatorRequestPendingTheStrategysReleasesAndDrainsSurvive() {
    FakeStrategy inner = new FakeStrategy();
    inner.releases.add("spare-1");
    inner.drains.add(
        new PoolDrain(
            States.SPOT_A,
            States.T0.plus(Duration.ofMinutes(5)),
            States.T0.plus(Duration.ofMinutes(15)),
            "burst drain: test"));
    OperatorLane lane = new OperatorLane(inner, Duration.ofMinutes(10));
    FleetState s = new States().host("h1", States.SPOT_A, Market.SPOT, 8192).state();
    lane.live(() -> s);
    lane.accept(
        new JournalRecord.OperatorRequested(
            "r1", JournalRecord.OperatorAction.DRAIN_HOST, "h1", States.T0));

    Assessment a = lane.decide(States.T0, List.<PoolSignals>of(), List.of());

    assertEquals(List.of("spare-1"), a.releases(), "a spare released by the strategy");
    assertEquals(inner.drains, a.drains());
  }
}
