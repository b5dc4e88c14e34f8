package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.placement.Limits;
import io.spotnest.orchestrator.port.HostOrder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the orchestrator may grow the fleet.
 *
 * @param offers the hosts it may launch (pool, market, size), spot and on-demand
 * @param limits caps on hosts, agents and concurrent migrations
 * @param warmOnDemand on-demand hosts kept ready as evacuation destinations before any notice (R2)
 * @param riskCalm a host at risk (not draining) becomes ready again once its pool's risk is at most
 *     this and no rebalance recommendation for it is younger than {@code rebalanceHold}
 * @param launchTimeout a launch not running after this is given up (and the host, if it shows up,
 *     terminated)
 */
public record FleetConfig(
    List<HostOrder> offers,
    Limits limits,
    int warmOnDemand,
    double riskCalm,
    Duration rebalanceHold,
    Duration launchTimeout) {
  public FleetConfig {
    offers = List.copyOf(offers);
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(rebalanceHold, "rebalanceHold");
    if (launchTimeout == null || launchTimeout.isNegative() || launchTimeout.isZero()) {
      throw new IllegalArgumentException("launchTimeout must be positive, got " + launchTimeout);
    }
    if (offers.stream().noneMatch(o -> o.market() == Market.ON_DEMAND)) {
      throw new IllegalArgumentException(
          "offers: at least one on-demand offer is needed for evacuations");
    }
    if (warmOnDemand < 0) {
      throw new IllegalArgumentException("warmOnDemand must not be negative, got " + warmOnDemand);
    }
  }
}
