package io.spotnest.hosts.ec2;

import io.spotnest.hosts.HostCapacity;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.Pool;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

/**
 * What a host is worth knowing beyond DescribeInstances: the size of its instance type
 * (DescribeInstanceTypes, cached for good), its zone id (DescribeAvailabilityZones, cached for
 * good) and its price per hour (spot: the pool's latest spot price, cached 5 minutes; on-demand:
 * {@code price.onDemand.<type>}). A failed lookup is logged and leaves the value unknown: it never
 * fails a launch whose instance already exists.
 */
final class Ec2Catalog {
  private static final System.Logger LOG = System.getLogger(Ec2Catalog.class.getName());
  private static final Duration PRICE_TTL = Duration.ofMinutes(5);

  private record Price(Optional<BigDecimal> value, Instant at) {}

  private final Ec2Client ec2;
  private final ApiRetry retry;
  private final Ec2SpotPrices spotPrices;
  private final Ec2Settings settings;
  private final Clock clock;
  private final Map<String, HostCapacity> types = new HashMap<>();
  private final Map<String, String> zoneIds = new HashMap<>();
  private final Map<Pool, Price> prices = new HashMap<>();

  Ec2Catalog(
      Ec2Client ec2, ApiRetry retry, Ec2SpotPrices spotPrices, Ec2Settings settings, Clock clock) {
    this.ec2 = ec2;
    this.retry = retry;
    this.spotPrices = spotPrices;
    this.settings = settings;
    this.clock = clock;
  }

  /** Looks up, in one call per kind, whatever is not cached yet for these offerings. */
  void prefetch(Collection<Pool> pools, Collection<Pool> spotPools) {
    Set<String> missingTypes = new HashSet<>();
    boolean missingZone = false;
    synchronized (this) {
      for (Pool p : pools) {
        if (!types.containsKey(p.instanceType())) {
          missingTypes.add(p.instanceType());
        }
        missingZone |= !zoneIds.containsKey(p.zone());
      }
    }
    if (!missingTypes.isEmpty()) {
      fetchTypes(missingTypes);
    }
    if (missingZone) {
      fetchZones();
    }
    Set<Pool> stale = new HashSet<>();
    synchronized (this) {
      Instant now = clock.instant();
      for (Pool p : spotPools) {
        Price known = prices.get(p);
        if (known == null || !now.isBefore(known.at().plus(PRICE_TTL))) {
          stale.add(p);
        }
      }
    }
    if (!stale.isEmpty()) {
      fetchSpotPrices(stale);
    }
  }

  /**
   * CPUs and memory of the type; disk is its instance storage plus the root volume of {@code
   * disk.gib}.
   */
  synchronized HostCapacity capacity(String instanceType) {
    HostCapacity type = types.getOrDefault(instanceType, HostCapacity.UNKNOWN);
    return new HostCapacity(
        type.vcpus(), type.memoryMib(), type.diskGib() + settings.diskGib().orElse(0));
  }

  /** The zone's id (the same in every account); its name when the id could not be looked up. */
  synchronized String zoneId(String zone, String fromInstance) {
    if (fromInstance != null && !fromInstance.isBlank()) {
      return fromInstance;
    }
    return zoneIds.getOrDefault(zone, zone);
  }

  synchronized Optional<BigDecimal> price(Pool pool, Market market) {
    if (market == Market.ON_DEMAND) {
      return Optional.ofNullable(settings.onDemandPrices().get(pool.instanceType()));
    }
    Price p = prices.get(pool);
    return p == null ? Optional.empty() : p.value();
  }

  private void fetchTypes(Set<String> wanted) {
    try {
      List<InstanceTypeInfo> infos =
          retry.call(
              "DescribeInstanceTypes",
              () ->
                  ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings(wanted))
                      .instanceTypes());
      synchronized (this) {
        for (InstanceTypeInfo i : infos) {
          long storage =
              i.instanceStorageInfo() == null || i.instanceStorageInfo().totalSizeInGB() == null
                  ? 0
                  : i.instanceStorageInfo().totalSizeInGB();
          types.put(
              i.instanceTypeAsString(),
              new HostCapacity(
                  i.vCpuInfo().defaultVCpus(),
                  i.memoryInfo().sizeInMiB(),
                  storage * 1000L * 1000 * 1000 >> 30));
        }
      }
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "DescribeInstanceTypes failed; host capacity of " + wanted + " unknown for now",
          e);
    }
  }

  private void fetchZones() {
    try {
      var zones =
          retry.call(
              "DescribeAvailabilityZones",
              () -> ec2.describeAvailabilityZones(r -> {}).availabilityZones());
      synchronized (this) {
        zones.forEach(z -> zoneIds.put(z.zoneName(), z.zoneId()));
      }
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "DescribeAvailabilityZones failed; zone names stand in for zone ids for now",
          e);
    }
  }

  private void fetchSpotPrices(Set<Pool> pools) {
    try {
      Map<Pool, BigDecimal> latest = spotPrices.latest(pools);
      synchronized (this) {
        Instant now = clock.instant();
        pools.forEach(p -> prices.put(p, new Price(Optional.ofNullable(latest.get(p)), now)));
      }
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "DescribeSpotPriceHistory failed; spot prices of " + pools + " unknown for now",
          e);
    }
  }
}
