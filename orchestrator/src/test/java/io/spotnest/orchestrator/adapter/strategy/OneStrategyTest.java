package io.spotnest.orchestrator.adapter.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord.NoticeRecorded;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.PoolSignals;
import io.spotnest.orchestrator.testing.States;
import io.spotnest.orchestrator.tick.Residence;
import io.spotnest.orchestrator.tick.StrategyInputs;
import io.spotnest.strategy.fleet.AgentView;
import io.spotnest.strategy.fleet.HostView;
import io.spotnest.strategy.policy.MigrationAssumptions;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import io.spotnest.strategy.signal.PoolId;
import io.spotnest.strategy.sim.SimConfig;
import io.spotnest.strategy.sim.StrategyProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 2, the proof: one scenario, given to the simulator's own strategy (through {@link
 * StrategyProbe}) and to the orchestrator (its journal state, {@link StrategyInputs} and {@link
 * FleetRiskStrategy}), starts the same moves: same agents, same destinations (or a new on-demand
 * host), same deadlines.
 */
class OneStrategyTest {
  private static final Instant NOW = States.T0.plus(Duration.ofMinutes(30));
  private static final String ZONE = "us-east-1b";
  private static final PoolKey POOL = new PoolKey("m5.4xlarge", ZONE);
  private static final SimConfig SIM = SimConfig.DEFAULTS;
  private static final double OD_HOST_RAM_GIB = 64;

  /** One host of the scenario: spot (the noticed one) or on-demand, with agents of these GiB. */
  private record H(String id, boolean spot, double capGiB, double... agentGiB) {}

  private static List<H> scenario(double spareGiB) {
    return List.of(
        new H("s1", true, 120, 4, 8, 48),
        new H("od1", false, 16, 6),
        new H("od2", false, spareGiB));
  }

  @Test
  void aNoticeWithinTheAwsWarningMovesTheSameAgentsToTheSameHosts() {
    assertSameMoves(scenario(60), NOW.plusSeconds(120));
  }

  @Test
  void aLongerWarningLaunchesTheSameNewOnDemandHost() {
    List<StrategyProbe.Started> sim = assertSameMoves(scenario(20), NOW.plusSeconds(900));
    assertTrue(
        sim.stream().anyMatch(s -> s.toHostId().isEmpty()),
        "a launch is part of the scenario: " + sim);
  }

  private List<StrategyProbe.Started> assertSameMoves(List<H> scenario, Instant deadline) {
    List<StrategyProbe.Started> sim =
        StrategyProbe.onNotice(
            simViews(scenario),
            "s1",
            NOW,
            deadline,
            SIM,
            OD_HOST_RAM_GIB,
            HazardParameters.DEFAULTS,
            PolicyParameters.DEFAULTS);
    assertTrue(sim.size() >= 2, "the scenario moves several agents: " + sim);
    assertEquals(sim, orchestrator(scenario, deadline));
    return sim;
  }

  private static List<HostView> simViews(List<H> scenario) {
    List<HostView> out = new ArrayList<>();
    int n = 0;
    for (H h : scenario) {
      List<AgentView> agents = new ArrayList<>();
      double used = 0;
      for (double gib : h.agentGiB()) {
        agents.add(
            new AgentView(
                "build-" + ++n,
                gib,
                false,
                Duration.ofMinutes(30),
                Duration.ofMinutes(30),
                Duration.ZERO));
        used += gib;
      }
      out.add(
          new HostView(
              h.id(),
              h.spot() ? Optional.of(new PoolId(POOL.instanceType(), ZONE)) : Optional.empty(),
              ZONE,
              h.capGiB(),
              used,
              States.T0,
              false,
              false,
              false,
              !h.spot() && agents.isEmpty(),
              States.T0,
              agents));
    }
    return out;
  }

  private static List<StrategyProbe.Started> orchestrator(List<H> scenario, Instant deadline) {
    States s = new States();
    int n = 0;
    for (H h : scenario) {
      s.host(
          h.id(), POOL, h.spot() ? Market.SPOT : Market.ON_DEMAND, Math.round(h.capGiB() * 1024));
      for (double gib : h.agentGiB()) {
        s.agent("build-" + ++n, Math.round(gib * 1024), h.id(), true);
      }
    }
    s.state().apply(new NoticeRecorded("s1", deadline));
    FleetRiskStrategy strategy =
        new FleetRiskStrategy(
            new HazardRiskModel(HazardParameters.DEFAULTS),
            PolicyParameters.DEFAULTS,
            new ParametricMigrationEstimator(MigrationAssumptions.DEFAULTS),
            FleetRiskStrategy.Settings.simulated(OD_HOST_RAM_GIB - SIM.hostOverheadGiB(), ZONE));
    PoolSignals calm =
        new PoolSignals(
            POOL,
            Optional.of(new MarketQuote(POOL, NOW, 0.12, 0.4, OptionalInt.of(0))),
            List.of(),
            Optional.empty());
    List<StrategyProbe.Started> out = new ArrayList<>();
    for (Evacuation e :
        strategy
            .decide(
                NOW,
                List.of(calm),
                StrategyInputs.liveHosts(s.state(), NOW, Duration.ofMinutes(5), new Residence()))
            .evacuations()) {
      out.add(new StrategyProbe.Started(e.agentId(), e.hostId(), e.to(), e.deadline(), e.forced()));
    }
    return out;
  }
}
