package io.spotnest.hosts.ec2;

import io.spotnest.hosts.LaunchFailure;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Offerings (pool + market) that just failed for capacity (or do not exist), skipped for placement
 * until their TTL runs out, with the class of the failure that blocked them. A whole market can be
 * blocked too (the account's spot quota is used up: no spot pool can succeed).
 */
public final class UnavailableOfferings {
  private record Offering(Pool pool, Market market) {}

  private record Block(Instant until, LaunchFailure failure) {}

  private final Clock clock;
  private final Duration ttl;
  private final Map<Offering, Block> offerings = new HashMap<>();
  private final Map<Market, Block> markets = new HashMap<>();

  public UnavailableOfferings(Clock clock, Duration ttl) {
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("unavailableTtl: must not be negative, got " + ttl);
    }
    this.clock = clock;
    this.ttl = ttl;
  }

  /** Blocks one offering after a failure of class {@code failure}. */
  public synchronized void mark(Pool pool, Market market, LaunchFailure failure) {
    offerings.put(new Offering(pool, market), new Block(clock.instant().plus(ttl), failure));
  }

  /** Blocks every pool of {@code market}: its quota is used up. */
  public synchronized void markMarket(Market market) {
    markets.put(market, new Block(clock.instant().plus(ttl), LaunchFailure.QUOTA));
  }

  public boolean isUnavailable(Pool pool, Market market) {
    return blockedBy(pool, market).isPresent();
  }

  /** Why the offering is skipped now (the market's block first), or empty when it is not. */
  public synchronized Optional<LaunchFailure> blockedBy(Pool pool, Market market) {
    Instant now = clock.instant();
    offerings.values().removeIf(b -> !now.isBefore(b.until()));
    markets.values().removeIf(b -> !now.isBefore(b.until()));
    Block b = markets.get(market);
    if (b == null) {
      b = offerings.get(new Offering(pool, market));
    }
    return Optional.ofNullable(b).map(Block::failure);
  }
}
