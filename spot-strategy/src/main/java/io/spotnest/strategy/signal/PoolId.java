package io.spotnest.strategy.signal;

import java.util.Objects;

/** A spot pool: one instance type in one availability zone. Reclamations hit pools in bursts. */
public record PoolId(String instanceType, String zone) {
  public PoolId {
    Objects.requireNonNull(instanceType, "instanceType");
    Objects.requireNonNull(zone, "zone");
    if (instanceType.isBlank()) {
      throw new IllegalArgumentException("instanceType must not be blank");
    }
    if (zone.isBlank()) {
      throw new IllegalArgumentException("zone must not be blank");
    }
  }

  /**
   * The region of the zone: AWS zones drop the trailing letter ({@code us-east-1b -> us-east-1}), GCP zones
   * drop the {@code -a} suffix ({@code us-central1-a -> us-central1}).
   */
  public String region() {
    return regionOf(zone);
  }

  /** The region of an availability zone name, by the rule of {@link #region()}. */
  public static String regionOf(String zone) {
    if (zone.matches(".*-[a-z]$")) {
      return zone.substring(0, zone.length() - 2);
    }
    if (zone.matches(".*\\d[a-z]$")) {
      return zone.substring(0, zone.length() - 1);
    }
    return zone;
  }

  @Override
  public String toString() {
    return instanceType + "@" + zone;
  }
}
