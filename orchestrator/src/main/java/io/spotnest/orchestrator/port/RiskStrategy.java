package io.spotnest.orchestrator.port;

import io.spotnest.orchestrator.model.Market;
import io.spotnest.strategy.fleet.CopyMode;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The orchestrator's seam to the spot strategy: per-pool signals and hosts in, risk and decisions
 * out.
 */
public interface RiskStrategy {

  /**
   * @param pools the signals of every spot pool we use, keyed by pool (zone id)
   * @param spotHosts every live spot host with its agents; a host's notice is on that host only
   */
  Assessment assess(Instant now, Collection<PoolSignals> pools, List<SpotHostView> spotHosts);

  /**
   * What the control loop calls: the whole live fleet (on-demand hosts too, as destinations and for
   * moves back), in a stable order. By default the spot hosts' agents that are not migrating go to
   * {@link #assess}.
   */
  default Assessment decide(Instant now, Collection<PoolSignals> pools, List<LiveHostView> hosts) {
    return assess(
        now,
        pools,
        hosts.stream().filter(h -> h.market() == Market.SPOT).map(LiveHostView::asSpot).toList());
  }

  /**
   * As {@link #decide(Instant, Collection, List)} with standing copies planned in {@code copyMode}
   * (the orchestrator's {@code FleetConfig.copyMode}); a strategy without a standing-copy plan asks
   * for none. The orchestrator starts copies only for agents whose request the mode may copy
   * ({@link AgentView#copy()}, {@code CopyMode.mayCopy}), so a plan should consider only those.
   */
  default Assessment decide(
      Instant now, Collection<PoolSignals> pools, List<LiveHostView> hosts, CopyMode copyMode) {
    return decide(now, pools, hosts);
  }

  /**
   * What a standing copy of an agent of {@code ramMiB} costs in transfer when its backup is in
   * another zone (the price its plan counts for such a copy), for the journal and the tick report;
   * empty when this strategy does not price transfer.
   */
  default Optional<CrossZoneCopyCost> crossZoneCopyCost(long ramMiB) {
    return Optional.empty();
  }
}
