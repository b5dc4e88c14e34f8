package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.MarketPolicy;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.testing.Rig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The market policy through the tick: where agents are placed and what is launched for them. */
class MarketPolicyTickTest {
  private final Rig rig = new Rig();

  private void request(String id, MarketPolicy policy) {
    rig.o()
        .request(
            new AgentRequested(
                id,
                2048,
                Duration.ofMinutes(10),
                null,
                "linux",
                policy.name(),
                AgentBootSpec.minimal(id, 2048)));
  }

  private Agent agent(String id) {
    return rig.o().state().findAgent(id).orElseThrow();
  }

  private List<HostOrder> launchesAsked() {
    return rig.o().state().launching().stream()
        .map(h -> new HostOrder(h.pool(), h.market(), h.capacityMiB()))
        .toList();
  }

  @Test
  void spotOnlyWaitsBesideOnDemandRoomAndASpotHostIsLaunchedForIt() {
    String od = rig.host(OD, Market.ON_DEMAND);
    rig.world.launchRuns(false);
    rig.start();
    request("spot-only", MarketPolicy.SPOT_ONLY);

    TickReport r = rig.o().tick();

    assertEquals(AgentPhase.REQUESTED, agent("spot-only").phase(), "not on " + od);
    assertEquals(1, r.hostsLaunched());
    assertEquals(List.of(Market.SPOT), launchesAsked().stream().map(HostOrder::market).toList());
  }

  @Test
  void spotOnlyWaitsWithoutLaunchingOnDemandWhenEverySpotPoolIsTooRisky() {
    rig.host(OD, Market.ON_DEMAND);
    rig.strategy.risk.put(SPOT_A, 0.9);
    rig.strategy.risk.put(SPOT_B, 0.9);
    rig.start();
    request("spot-only", MarketPolicy.SPOT_ONLY);

    TickReport r = rig.o().tick();

    assertEquals(AgentPhase.REQUESTED, agent("spot-only").phase());
    assertNull(agent("spot-only").hostId());
    assertEquals(0, r.hostsLaunched(), "no on-demand host for a spot-only agent");
  }

  @Test
  void onDemandOnlyIsNeverPlacedOnSpotAndGetsAnOnDemandLaunch() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.world.launchRuns(false);
    rig.start();
    request("od-only", MarketPolicy.ON_DEMAND_ONLY);

    TickReport r = rig.o().tick();

    assertEquals(AgentPhase.REQUESTED, agent("od-only").phase(), "not on " + spot);
    assertEquals(1, r.hostsLaunched());
    assertEquals(
        List.of(Market.ON_DEMAND), launchesAsked().stream().map(HostOrder::market).toList());
  }

  @Test
  void onDemandOnlyBootsOnTheOnDemandHostBesideASpotHostWithRoom() {
    rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    rig.start();
    request("od-only", MarketPolicy.ON_DEMAND_ONLY);
    request("spot-only", MarketPolicy.SPOT_ONLY);

    rig.o().tick();

    assertEquals(od, agent("od-only").hostId());
    assertEquals(AgentPhase.BOOTING, agent("od-only").phase());
    assertEquals(
        Market.SPOT, rig.o().state().findHost(agent("spot-only").hostId()).orElseThrow().market());
  }

  @Test
  void preferSpotFallsBackToOnDemandOnlyWhenNoSpotRoomAndNoSpotLaunchIsPossible() {
    rig.strategy.risk.put(SPOT_A, 0.9);
    rig.strategy.risk.put(SPOT_B, 0.9);
    rig.world.launchRuns(false);
    rig.start();
    request("prefer", MarketPolicy.PREFER_SPOT);

    rig.o().tick();

    assertEquals(
        List.of(Market.ON_DEMAND), launchesAsked().stream().map(HostOrder::market).toList());

    Rig calm = new Rig();
    calm.world.launchRuns(false);
    calm.start();
    calm.o()
        .request(
            new AgentRequested(
                "prefer",
                2048,
                Duration.ofMinutes(10),
                null,
                "linux",
                MarketPolicy.PREFER_SPOT.name(),
                AgentBootSpec.minimal("prefer", 2048)));
    calm.o().tick();
    assertEquals(
        List.of(Market.SPOT),
        calm.o().state().launching().stream().map(h -> h.market()).toList(),
        "a spot pool at acceptable risk: spot is launched, not on-demand");
  }

  @Test
  void aRequeuedAgentKeepsItsPolicy() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.start();
    request("spot-only", MarketPolicy.SPOT_ONLY);
    rig.o().tick();
    assertEquals(spot, agent("spot-only").hostId());
    rig.world.vanish(spot);

    rig.o().tick();

    String requeued = rig.o().lostBuilds().get(0).requeuedAs();
    assertEquals(MarketPolicy.SPOT_ONLY, agent(requeued).policy());
    assertEquals(requeued, agent(requeued).boot().agentName());
  }
}
