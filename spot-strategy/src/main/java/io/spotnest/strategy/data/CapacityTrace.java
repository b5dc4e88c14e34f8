package io.spotnest.strategy.data;

import io.spotnest.strategy.signal.PoolId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A SkyPilot spot trace of one pool: at each tick the number of spot instances running (preemption
 * traces) or obtainable (availability traces). A decrease is a reclamation of that many instances.
 */
public record CapacityTrace(String name, PoolId pool, Instant start, int gapSeconds, int[] counts) {

  public CapacityTrace {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(start, "start");
    if (gapSeconds <= 0) {
      throw new IllegalArgumentException("gapSeconds must be positive, got " + gapSeconds);
    }
    if (counts.length < 2) {
      throw new IllegalArgumentException("a trace needs at least 2 ticks, got " + counts.length);
    }
    counts = counts.clone();
    for (int c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("counts must not be negative");
      }
    }
  }

  @Override
  public int[] counts() {
    return counts.clone();
  }

  public int ticks() {
    return counts.length;
  }

  public int count(int tick) {
    return counts[tick];
  }

  public Duration gap() {
    return Duration.ofSeconds(gapSeconds);
  }

  public Duration length() {
    return Duration.ofSeconds((long) gapSeconds * counts.length);
  }

  /** The tick covering offset {@code t} from the start (clamped to the last tick). */
  public int tickAt(Duration t) {
    long i = t.getSeconds() / gapSeconds;
    return (int) Math.max(0, Math.min(counts.length - 1, i));
  }

  public int maxCount() {
    return Arrays.stream(counts).max().orElse(0);
  }

  /** Fraction of the trace's peak count available at tick {@code i} (0 when the peak is 0). */
  public double capacityFraction(int tick) {
    int max = maxCount();
    return max == 0 ? 0 : counts[tick] / (double) max;
  }

  /** Ticks at which the count decreased (a reclamation observed at that tick). */
  public List<Integer> reclamationTicks() {
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i < counts.length; i++) {
      if (counts[i] < counts[i - 1]) {
        out.add(i);
      }
    }
    return out;
  }

  /** Fraction of ticks with at least one instance. */
  public double availability() {
    return Arrays.stream(counts).filter(c -> c > 0).count() / (double) counts.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CapacityTrace t
        && name.equals(t.name)
        && pool.equals(t.pool)
        && start.equals(t.start)
        && gapSeconds == t.gapSeconds
        && Arrays.equals(counts, t.counts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, pool, start, gapSeconds, Arrays.hashCode(counts));
  }

  @Override
  public String toString() {
    return "CapacityTrace["
        + name
        + ", "
        + pool
        + ", "
        + counts.length
        + " ticks of "
        + gapSeconds
        + " s]";
  }
}
