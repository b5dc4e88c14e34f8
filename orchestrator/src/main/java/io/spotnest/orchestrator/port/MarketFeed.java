package io.spotnest.orchestrator.port;

import java.util.List;

/** Market data (prices, Advisor bucket) for the pools we use. */
public interface MarketFeed {

  /** The latest quotes, one per pool at most. */
  List<MarketQuote> quotes();

  /**
   * Reclamations seen in our pools of capacity that is not ours (a probe, a replayed trace), each
   * with a stable id; the same one may be reported again. None by default.
   */
  default List<PoolReclamation> reclamations() {
    return List.of();
  }
}
