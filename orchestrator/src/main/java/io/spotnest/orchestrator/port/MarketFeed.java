package io.spotnest.orchestrator.port;

import java.util.List;

/** Market data (prices, Advisor bucket) for the pools we use. */
public interface MarketFeed {

  /** The latest quotes, one per pool at most. */
  List<MarketQuote> quotes();
}
