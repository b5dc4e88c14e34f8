package io.spotnest.orchestrator.view;

import io.spotnest.orchestrator.model.PoolKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A spot pool's 15-minute reclamation probability at each tick, oldest first. */
public record PoolRiskSeries(PoolKey pool, List<Point> points) {
  public PoolRiskSeries {
    Objects.requireNonNull(pool, "pool");
    points = List.copyOf(points);
  }

  /** The risk at one tick. */
  public record Point(Instant at, double risk) {
    public Point {
      Objects.requireNonNull(at, "at");
    }
  }

  /** The newest risk, or 0 when there is none. */
  public double latest() {
    return points.isEmpty() ? 0 : points.get(points.size() - 1).risk();
  }
}
