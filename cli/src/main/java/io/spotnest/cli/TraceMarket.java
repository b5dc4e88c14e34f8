package io.spotnest.cli;

import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.MarketFeed;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.PoolReclamation;
import io.spotnest.strategy.data.AdvisorEntry;
import io.spotnest.strategy.data.CapacityTrace;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@link MarketFeed} replaying real spot traces on a clock whose instants are the traces' own:
 * every reclamation of a trace (a drop of its running count) up to now is a reclamation in that
 * pool, and each pool is quoted at the Spot Advisor's saving against a fixed on-demand price, with
 * the Advisor's interruption bucket.
 */
final class TraceMarket implements MarketFeed {
  /** How far back reclamations are reported (the orchestrator's own look-back). */
  static final Duration LOOK_BACK = Duration.ofHours(24);

  record Pool(PoolKey key, CapacityTrace trace, Optional<AdvisorEntry> advice) {}

  private final List<Pool> pools;
  private final Clock clock;
  private final double onDemandUsdPerHour;
  private final double assumedSpotToOnDemand;

  TraceMarket(
      List<Pool> pools, Clock clock, double onDemandUsdPerHour, double assumedSpotToOnDemand) {
    this.pools = List.copyOf(pools);
    this.clock = clock;
    this.onDemandUsdPerHour = onDemandUsdPerHour;
    this.assumedSpotToOnDemand = assumedSpotToOnDemand;
  }

  static PoolKey keyOf(CapacityTrace t) {
    return new PoolKey(t.pool().instanceType(), t.pool().zone());
  }

  List<Pool> pools() {
    return pools;
  }

  double spotToOnDemand(PoolKey key) {
    return pools.stream()
        .filter(p -> p.key().equals(key))
        .findFirst()
        .flatMap(Pool::advice)
        .map(AdvisorEntry::spotToOnDemand)
        .orElse(assumedSpotToOnDemand);
  }

  double onDemandUsdPerHour() {
    return onDemandUsdPerHour;
  }

  @Override
  public List<MarketQuote> quotes() {
    Instant now = clock.instant();
    List<MarketQuote> out = new ArrayList<>();
    for (Pool p : pools) {
      OptionalInt bucket =
          p.advice().map(a -> OptionalInt.of(a.bucket())).orElse(OptionalInt.empty());
      out.add(
          new MarketQuote(
              p.key(),
              now,
              onDemandUsdPerHour * spotToOnDemand(p.key()),
              onDemandUsdPerHour,
              bucket));
    }
    return out;
  }

  @Override
  public List<PoolReclamation> reclamations() {
    return reclamationsBetween(clock.instant().minus(LOOK_BACK), clock.instant());
  }

  /** Every trace reclamation in {@code (from, to]}, oldest first per pool. */
  List<PoolReclamation> reclamationsBetween(Instant from, Instant to) {
    List<PoolReclamation> out = new ArrayList<>();
    for (Pool p : pools) {
      CapacityTrace t = p.trace();
      for (int tick : t.reclamationTicks()) {
        Instant at = t.start().plus(t.gap().multipliedBy(tick));
        if (at.isAfter(from) && !at.isAfter(to)) {
          out.add(new PoolReclamation(p.key(), "trace:" + t.name() + ":" + tick, at));
        }
      }
    }
    return out;
  }

  /** The first reclamation of the pool's trace after {@code after}, if any. */
  Optional<Instant> nextReclamation(PoolKey key, Instant after) {
    for (Pool p : pools) {
      if (p.key().equals(key)) {
        CapacityTrace t = p.trace();
        for (int tick : t.reclamationTicks()) {
          Instant at = t.start().plus(t.gap().multipliedBy(tick));
          if (at.isAfter(after)) {
            return Optional.of(at);
          }
        }
      }
    }
    return Optional.empty();
  }
}
