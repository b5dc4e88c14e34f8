package io.spotnest.strategy.sim;

import java.util.Map;
import java.util.Optional;

/**
 * On-demand list prices (USD per hour, Linux) of the instance types the shared traces use, to
 * convert the cross-zone transfer price into the simulator's cost unit (the on-demand GiB-hour of
 * the first pool's type). AWS: the public us-east-1 / us-west-2 price list (the same in both for
 * these types); GCP c3-highcpu-88: us-central1 list price of 88 vCPU + 176 GiB (approximate, about
 * $3.74/h).
 */
final class OnDemandPrices {
  private static final Map<String, Double> USD_PER_HOUR =
      Map.of(
          "r5.16xlarge", 4.032,
          "p3.2xlarge", 3.06,
          "p3.8xlarge", 12.24,
          "p3.16xlarge", 24.48,
          "p2.xlarge", 0.90,
          "p2.8xlarge", 7.20,
          "p2.16xlarge", 14.40,
          "c3-highcpu-88", 3.74);

  private OnDemandPrices() {}

  static Optional<Double> usdPerHour(String instanceType) {
    return Optional.ofNullable(USD_PER_HOUR.get(instanceType));
  }
}
