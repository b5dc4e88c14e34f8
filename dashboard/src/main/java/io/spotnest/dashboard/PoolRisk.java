package io.spotnest.dashboard;

import java.util.List;
import java.util.Objects;

/**
 * Risk over time of one spot pool, oldest first.
 *
 * @param pool instance type at zone
 * @param horizonMinutes the horizon of every point's probability
 */
public record PoolRisk(String pool, String zone, int horizonMinutes, List<RiskPoint> points) {
  public PoolRisk {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(zone, "zone");
    if (horizonMinutes <= 0) {
      throw new IllegalArgumentException("horizonMinutes must be positive, got " + horizonMinutes);
    }
    points = List.copyOf(points);
    for (int i = 1; i < points.size(); i++) {
      if (points.get(i).atEpochMs() < points.get(i - 1).atEpochMs()) {
        throw new IllegalArgumentException("risk points of " + pool + " must be in time order");
      }
    }
  }

  /** The newest point's risk, or 0 when there is none. */
  public double latest() {
    return points.isEmpty() ? 0 : points.get(points.size() - 1).risk();
  }
}
