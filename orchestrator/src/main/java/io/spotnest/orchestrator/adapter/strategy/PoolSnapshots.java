package io.spotnest.orchestrator.adapter.strategy;

import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.PoolSignals;
import io.spotnest.strategy.signal.InterruptionFrequency;
import io.spotnest.strategy.signal.PoolId;
import io.spotnest.strategy.signal.PoolSnapshot;
import io.spotnest.strategy.signal.RebalanceRecommendation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Maps the orchestrator's pool signals onto spot-strategy's {@link PoolSnapshot}. The pool's
 * snapshot never carries a host's interruption notice: that belongs to the host (see {@link
 * PolicyRiskStrategy}).
 */
final class PoolSnapshots {
  private PoolSnapshots() {}

  static PoolId id(PoolKey key) {
    return new PoolId(key.instanceType(), key.zoneId());
  }

  static PoolSnapshot of(PoolSignals s, Instant now) {
    PoolId pool = id(s.pool());
    Optional<MarketQuote> q = s.quote().filter(x -> !x.at().isAfter(now));
    Optional<InterruptionFrequency> freq =
        q.flatMap(
            x ->
                x.interruptionBucket().isPresent()
                    ? Optional.of(
                        new InterruptionFrequency(pool, x.at(), x.interruptionBucket().getAsInt()))
                    : Optional.empty());
    OptionalDouble ratio =
        q.isPresent() && q.get().onDemandUsdPerHour() > 0
            ? OptionalDouble.of(q.get().spotToOnDemand())
            : OptionalDouble.empty();
    List<Instant> reclaimed = s.reclamations().stream().filter(t -> !t.isAfter(now)).toList();
    Optional<RebalanceRecommendation> rebalance =
        s.rebalanceAt()
            .filter(t -> !t.isAfter(now))
            .filter(t -> t.isAfter(now.minus(Duration.ofMinutes(30))))
            .map(t -> new RebalanceRecommendation(pool, t, "pool"));
    return new PoolSnapshot(
        pool,
        now,
        freq,
        ratio,
        OptionalDouble.empty(),
        Optional.empty(),
        Optional.empty(),
        reclaimed,
        reclaimed.size(),
        Duration.ZERO,
        Optional.empty(),
        rebalance);
  }

  static PoolSnapshot empty(PoolKey key, Instant now) {
    return of(new PoolSignals(key, Optional.empty(), List.of(), Optional.empty()), now);
  }
}
