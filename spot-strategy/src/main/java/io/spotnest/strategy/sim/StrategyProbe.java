package io.spotnest.strategy.sim;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.fleet.AgentView;
import io.spotnest.strategy.fleet.HostView;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.signal.PoolId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the simulator's own strategy (ours, without spares or burst drain) on one scenario, so that
 * another caller of the public fleet strategy, such as the orchestrator, can check it decides the
 * same moves. The scenario's hosts become a simulated fleet (instants are seconds after the epoch,
 * as in the simulator's decisions; agent ids must be {@code build-<n>}); the answer is the
 * migrations the strategy started. Not used by the simulator itself.
 */
public final class StrategyProbe {
  private StrategyProbe() {}

  /**
   * A migration the strategy started.
   *
   * @param toHostId the destination, or empty for an on-demand host it launched
   */
  public record Started(
      String agentId,
      String fromHostId,
      Optional<String> toHostId,
      Instant deadline,
      boolean forced) {}

  /**
   * The migrations that {@code hostId}'s notice (reclaimed at {@code deadline}) starts at {@code
   * now}.
   */
  public static List<Started> onNotice(
      List<HostView> hosts,
      String hostId,
      Instant now,
      Instant deadline,
      SimConfig config,
      double onDemandHostRamGiB,
      HazardParameters model,
      PolicyParameters policy) {
    Fleet fleet =
        new Fleet(config, onDemandHostRamGiB, hosts.get(0).zone(), Double.NaN, pool -> true);
    fleet.now = now.getEpochSecond();
    // the agents' lengths as the scenario tells them, shown as they are (hindsight)
    TrueLengths lengths = new TrueLengths();
    fleet.lengths = new BuildLengthEstimate(lengths);
    Map<PoolId, SpotPool> pools = new HashMap<>();
    Map<String, SimHost> byId = new HashMap<>();
    for (HostView v : hosts) {
      SpotPool pool =
          v.pool()
              .map(
                  id ->
                      pools.computeIfAbsent(
                          id,
                          p ->
                              new SpotPool(
                                  new PoolMarket(
                                      new CapacityTrace(
                                          "probe", p, Instant.EPOCH, 60, new int[] {1, 1}),
                                      0.3,
                                      v.capacityGiB() + config.hostOverheadGiB(),
                                      Optional.empty(),
                                      "probe",
                                      false),
                                  () -> fleet.now)))
              .orElse(null);
      SimHost h =
          new SimHost(
              v.id(),
              pool,
              v.zone(),
              v.capacityGiB(),
              v.capacityGiB(),
              v.launchedAt().getEpochSecond(),
              v.readyAt().getEpochSecond());
      h.reservedGiB = v.usedGiB();
      h.cordoned = v.cordoned();
      h.notified = v.notified();
      h.spare = v.spare();
      for (AgentView a : v.agents()) {
        int id = Integer.parseInt(a.id().substring("build-".length()));
        SimAgent agent =
            new SimAgent(
                lengths.add(
                    new Build(
                        id,
                        0,
                        (a.elapsed().toSeconds() + a.remaining().toSeconds()) / 60.0,
                        a.ramGiB())),
                h,
                fleet.now - a.onHostFor().toSeconds());
        agent.progressSeconds = a.elapsed().toSeconds();
        h.agents.add(agent);
        fleet.agents.add(agent);
      }
      fleet.hosts.add(h);
      byId.put(v.id(), h);
    }
    SimHost noticed = byId.get(hostId);
    noticed.notice(deadline.getEpochSecond());
    ParametricMigrationEstimator estimator = new ParametricMigrationEstimator(config.migration());
    new RiskAware(model, policy, estimator, config, OursOptions.NONE)
        .onNotice(noticed, new SimContext(fleet, List.of(), estimator, config));
    List<Started> out = new ArrayList<>();
    for (Migration m : fleet.migrations) {
      out.add(
          new Started(
              FleetViews.agentId(m.agent),
              m.from.id,
              byId.containsKey(m.to.id) ? Optional.of(m.to.id) : Optional.empty(),
              Instant.ofEpochSecond(m.deadline),
              m.forced));
    }
    return out;
  }
}
