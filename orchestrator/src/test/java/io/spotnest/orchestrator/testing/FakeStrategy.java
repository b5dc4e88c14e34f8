package io.spotnest.orchestrator.testing;

import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.Assessment;
import io.spotnest.orchestrator.port.CrossZoneCopyCost;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.LiveHostView;
import io.spotnest.orchestrator.port.PoolDrain;
import io.spotnest.orchestrator.port.PoolSignals;
import io.spotnest.orchestrator.port.RiskStrategy;
import io.spotnest.orchestrator.port.SpareLaunch;
import io.spotnest.orchestrator.port.SpotHostView;
import io.spotnest.strategy.fleet.CopyMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strategy whose answers the test sets; it keeps what it was given. Unknown pools get {@code
 * defaultRisk}.
 */
public final class FakeStrategy implements RiskStrategy {
  public final Map<PoolKey, Double> risk = new HashMap<>();
  public final List<Evacuation> evacuations = new ArrayList<>();
  public double defaultRisk = 0.01;
  public List<PoolSignals> lastPools = List.of();
  public List<SpotHostView> lastHosts = List.of();
  public List<LiveHostView> lastLive = List.of();
  public final List<SpareLaunch> spares = new ArrayList<>();
  public final List<PoolKey> spotLaunches = new ArrayList<>();
  public final List<String> releases = new ArrayList<>();
  public final List<PoolDrain> drains = new ArrayList<>();
  public RuntimeException failure;

  /** The agents the plan wants a standing copy for. */
  public final List<String> standingCopies = new ArrayList<>();

  /** The copy mode of the last decision. */
  public CopyMode lastCopyMode;

  /** What this strategy says a cross-zone standing copy costs (unpriced unless set). */
  public Optional<CrossZoneCopyCost> crossZone = Optional.empty();

  @Override
  public Optional<CrossZoneCopyCost> crossZoneCopyCost(long ramMiB) {
    return crossZone;
  }

  @Override
  public Assessment assess(
      Instant now, Collection<PoolSignals> pools, List<SpotHostView> spotHosts) {
    if (failure != null) {
      throw failure;
    }
    lastPools = List.copyOf(pools);
    lastHosts = List.copyOf(spotHosts);
    Map<PoolKey, Double> r = new HashMap<>();
    for (PoolSignals p : pools) {
      r.put(p.pool(), risk.getOrDefault(p.pool(), defaultRisk));
    }
    return new Assessment(r, evacuations, spares, spotLaunches, releases, drains, standingCopies);
  }

  @Override
  public Assessment decide(Instant now, Collection<PoolSignals> pools, List<LiveHostView> hosts) {
    lastLive = List.copyOf(hosts);
    return RiskStrategy.super.decide(now, pools, hosts);
  }

  @Override
  public Assessment decide(
      Instant now, Collection<PoolSignals> pools, List<LiveHostView> hosts, CopyMode copyMode) {
    lastCopyMode = copyMode;
    return decide(now, pools, hosts);
  }
}
