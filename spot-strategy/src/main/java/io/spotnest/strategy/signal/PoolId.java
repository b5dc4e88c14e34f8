package io.spotnest.strategy.signal;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A spot pool: one instance type in one availability zone. Reclamations hit pools in bursts. */
public record PoolId(String instanceType, String zone) {
  private static final Pattern DASH_LETTER = Pattern.compile(".*-[a-z]$");
  private static final Pattern DIGIT_LETTER = Pattern.compile(".*\\d[a-z]$");
  private static final Pattern ZONE_ID = Pattern.compile("([a-z]+\\d+)-az\\d+");

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
   * The region of the zone: AWS zones drop the trailing letter ({@code us-east-1b -> us-east-1}),
   * GCP zones drop the {@code -a} suffix ({@code us-central1-a -> us-central1}), AWS zone ids the
   * {@code -az<n>} suffix ({@code use1-az4 -> use1}).
   */
  public String region() {
    return regionOf(zone);
  }

  /** The region of an availability zone name, by the rule of {@link #region()}. */
  public static String regionOf(String zone) {
    Matcher id = ZONE_ID.matcher(zone);
    if (id.matches()) {
      return id.group(1);
    }
    if (DASH_LETTER.matcher(zone).matches()) {
      return zone.substring(0, zone.length() - 2);
    }
    if (DIGIT_LETTER.matcher(zone).matches()) {
      return zone.substring(0, zone.length() - 1);
    }
    return zone;
  }

  @Override
  public String toString() {
    return instanceType + "@" + zone;
  }
}
