package io.spotnest.jenkins.orchestrator;

import io.spotnest.orchestrator.port.MarketFeed;
import io.spotnest.orchestrator.port.MarketQuote;
import java.util.List;

/**
 * The market of a fleet without spot capacity (static hosts): no spot pool, so no quotes and no
 * reclamations; risk then comes only from the hosts' own events.
 */
final class OnDemandOnlyMarket implements MarketFeed {
  @Override
  public List<MarketQuote> quotes() {
    return List.of();
  }
}
