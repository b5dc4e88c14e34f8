package io.spotnest.hosts.ec2;

import io.spotnest.hosts.Pool;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

/** Latest Linux spot price per pool from DescribeSpotPriceHistory (the last hour). */
final class Ec2SpotPrices {
  private final Ec2Client ec2;
  private final ApiRetry retry;
  private final Clock clock;

  Ec2SpotPrices(Ec2Client ec2, ApiRetry retry, Clock clock) {
    this.ec2 = ec2;
    this.retry = retry;
    this.clock = clock;
  }

  Map<Pool, BigDecimal> latest(Collection<Pool> pools) {
    Set<String> types = new HashSet<>();
    pools.forEach(p -> types.add(p.instanceType()));
    Set<Pool> wanted = new HashSet<>(pools);
    return retry.call(
        "DescribeSpotPriceHistory",
        () -> {
          Map<Pool, BigDecimal> prices = new HashMap<>();
          Map<Pool, Instant> at = new HashMap<>();
          ec2.describeSpotPriceHistoryPaginator(
                  r ->
                      r.instanceTypesWithStrings(types)
                          .productDescriptions("Linux/UNIX")
                          .startTime(clock.instant().minus(Duration.ofHours(1))))
              .spotPriceHistory()
              .forEach(sp -> keepLatest(sp, wanted, prices, at));
          return Map.copyOf(prices);
        });
  }

  private static void keepLatest(
      SpotPrice sp, Set<Pool> wanted, Map<Pool, BigDecimal> prices, Map<Pool, Instant> at) {
    Pool pool = new Pool(sp.instanceTypeAsString(), sp.availabilityZone());
    if (wanted.contains(pool) && (at.get(pool) == null || sp.timestamp().isAfter(at.get(pool)))) {
      prices.put(pool, new BigDecimal(sp.spotPrice()));
      at.put(pool, sp.timestamp());
    }
  }
}
