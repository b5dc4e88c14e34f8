package io.spotnest.dashboard;

import java.util.List;
import java.util.Objects;

/**
 * Risk over time of one spot pool, oldest first, drawn as a line.
 *
 * @param pool instance type at zone
 * @param horizonMinutes the horizon of every point's probability
 * @param breakAfterMs the line breaks between two points further apart than this (the pool had no
 *     value there, e.g. no capacity in a replayed trace); 0: it joins every point (points come when
 *     the source ticks, at whatever intervals)
 */
public record PoolRisk(
    String pool, String zone, int horizonMinutes, List<RiskPoint> points, long breakAfterMs) {
  /** A pool whose line joins every point. */
  public PoolRisk(String pool, String zone, int horizonMinutes, List<RiskPoint> points) {
    this(pool, zone, horizonMinutes, points, 0);
  }

  public PoolRisk {
    if (breakAfterMs < 0) {
      throw new IllegalArgumentException("breakAfterMs must be 0 or positive, got " + breakAfterMs);
    }
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
