package io.spotnest.orchestrator.port;

import io.spotnest.orchestrator.model.PoolKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the orchestrator observed about one spot pool.
 *
 * @param quote the latest market quote, if any
 * @param reclamations when each reclamation of one of our hosts became known, oldest first (one per
 *     host)
 * @param rebalanceAt the latest rebalance recommendation for a host of the pool, if any
 */
public record PoolSignals(
    PoolKey pool,
    Optional<MarketQuote> quote,
    List<Instant> reclamations,
    Optional<Instant> rebalanceAt) {
  public PoolSignals {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(quote, "quote");
    reclamations = List.copyOf(reclamations);
    Objects.requireNonNull(rebalanceAt, "rebalanceAt");
  }
}
