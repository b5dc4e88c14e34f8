package io.spotnest.hosts.ec2;

import io.spotnest.hosts.Market;
import io.spotnest.hosts.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Offerings (pool + market) that just failed for capacity, skipped for placement until their TTL
 * runs out. A whole market can be blocked too (the account's spot quota is used up: no spot pool
 * can succeed).
 */
public final class UnavailableOfferings {
  private record Offering(Pool pool, Market market) {}

  private final Clock clock;
  private final Duration ttl;
  private final Map<Offering, Instant> until = new HashMap<>();
  private final Map<Market, Instant> marketUntil = new HashMap<>();

  public UnavailableOfferings(Clock clock, Duration ttl) {
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("unavailableTtl: must not be negative, got " + ttl);
    }
    this.clock = clock;
    this.ttl = ttl;
  }

  public synchronized void mark(Pool pool, Market market) {
    until.put(new Offering(pool, market), clock.instant().plus(ttl));
  }

  /** Blocks every pool of {@code market}. */
  public synchronized void markMarket(Market market) {
    marketUntil.put(market, clock.instant().plus(ttl));
  }

  public synchronized boolean isUnavailable(Pool pool, Market market) {
    Instant now = clock.instant();
    until.values().removeIf(t -> !now.isBefore(t));
    marketUntil.values().removeIf(t -> !now.isBefore(t));
    return marketUntil.containsKey(market) || until.containsKey(new Offering(pool, market));
  }
}
