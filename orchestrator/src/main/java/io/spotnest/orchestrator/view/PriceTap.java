package io.spotnest.orchestrator.view;

import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.MarketFeed;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.PoolReclamation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A market feed that remembers the latest quote of each pool it passed on (for the cost so far).
 */
public final class PriceTap implements MarketFeed {
  private final MarketFeed feed;
  private final Map<PoolKey, MarketQuote> latest = new LinkedHashMap<>();

  public PriceTap(MarketFeed feed) {
    this.feed = Objects.requireNonNull(feed, "feed");
  }

  @Override
  public List<MarketQuote> quotes() {
    List<MarketQuote> quotes = feed.quotes();
    for (MarketQuote q : quotes) {
      MarketQuote old = latest.get(q.pool());
      if (old == null || !q.at().isBefore(old.at())) {
        latest.put(q.pool(), q);
      }
    }
    return quotes;
  }

  /** The feed's reclamations, passed on as they are (the strategy reads them through the tap). */
  @Override
  public List<PoolReclamation> reclamations() {
    return feed.reclamations();
  }

  /** The latest quote of each pool seen so far. */
  public Map<PoolKey, MarketQuote> latest() {
    return Map.copyOf(latest);
  }
}
