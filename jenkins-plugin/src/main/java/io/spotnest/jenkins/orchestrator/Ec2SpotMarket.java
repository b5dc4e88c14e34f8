package io.spotnest.jenkins.orchestrator;

import io.spotnest.hosts.Pool;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.MarketFeed;
import io.spotnest.orchestrator.port.MarketQuote;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The market of an EC2 fleet: the latest Linux spot price of each configured pool (EC2's
 * DescribeSpotPriceHistory through the host provider), quoted against the configured on-demand
 * price of its instance type. Prices are asked for at most once per {@code refresh}; when EC2 does
 * not answer, the last quotes stand.
 */
final class Ec2SpotMarket implements MarketFeed {
  private static final Logger LOGGER = Logger.getLogger(Ec2SpotMarket.class.getName());

  private final Function<Collection<Pool>, Map<Pool, BigDecimal>> spotPrices;
  private final List<Pool> pools;
  private final Map<String, BigDecimal> onDemandPrices;
  private final Clock clock;
  private final Duration refresh;
  private List<MarketQuote> quotes = List.of();
  private Instant asked;

  /**
   * @param spotPrices the latest spot price per pool (pools without a recent price left out)
   * @param onDemandPrices on-demand USD per hour by instance type (0 where unknown)
   */
  Ec2SpotMarket(
      Function<Collection<Pool>, Map<Pool, BigDecimal>> spotPrices,
      List<Pool> pools,
      Map<String, BigDecimal> onDemandPrices,
      Clock clock,
      Duration refresh) {
    this.spotPrices = spotPrices;
    this.pools = List.copyOf(pools);
    this.onDemandPrices = Map.copyOf(onDemandPrices);
    this.clock = clock;
    this.refresh = refresh;
  }

  @Override
  public synchronized List<MarketQuote> quotes() {
    Instant now = clock.instant();
    if (asked != null && now.isBefore(asked.plus(refresh))) {
      return quotes;
    }
    asked = now;
    try {
      Map<Pool, BigDecimal> prices = spotPrices.apply(pools);
      List<MarketQuote> fresh = new ArrayList<>();
      for (Pool pool : pools) {
        BigDecimal spot = prices.get(pool);
        if (spot != null) {
          fresh.add(
              new MarketQuote(
                  new PoolKey(pool.instanceType(), pool.zone()),
                  now,
                  spot.doubleValue(),
                  onDemandPrices.getOrDefault(pool.instanceType(), BigDecimal.ZERO).doubleValue(),
                  OptionalInt.empty()));
        }
      }
      quotes = List.copyOf(fresh);
    } catch (RuntimeException e) {
      LOGGER.log(
          Level.WARNING,
          "SpotNest: EC2 spot prices unavailable, keeping the last ones: {0}",
          e.getMessage());
    }
    return quotes;
  }
}
