package io.spotnest.strategy.data;

import java.time.Instant;
import java.util.Objects;

/** One row of DescribeSpotPriceHistory: the spot price of a type in an AZ id from {@code at} on. */
public record SpotPricePoint(
    String azId, String instanceType, String product, double usdPerHour, Instant at) {
  public SpotPricePoint {
    Objects.requireNonNull(azId, "azId");
    Objects.requireNonNull(instanceType, "instanceType");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(at, "at");
    if (!(usdPerHour >= 0) || Double.isInfinite(usdPerHour)) {
      throw new IllegalArgumentException(
          "usdPerHour must be a finite non-negative number, got " + usdPerHour);
    }
  }
}
