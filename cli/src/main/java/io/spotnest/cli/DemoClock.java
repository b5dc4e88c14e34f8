package io.spotnest.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The demo's clock: its instants are those of the replayed trace. It runs {@code speed} times
 * faster than the wall clock while nothing is happening, and at wall speed (1×) whenever something
 * real runs (a VM booting, a migration, a notice's countdown), so every deadline the engine and the
 * orchestrator see is real time.
 */
final class DemoClock extends Clock {
  private Instant anchor;
  private long anchorNanos;
  private double speed = 1;
  private Instant stopAt;

  DemoClock(Instant start) {
    this.anchor = start;
    this.anchorNanos = System.nanoTime();
  }

  /** Changes the speed from now on (trace seconds per wall second). */
  synchronized void speed(double s) {
    speed(s, null);
  }

  /**
   * Changes the speed from now on; a fast clock stops at {@code stop} (when given) until the speed
   * is changed again, so an event due then is not skipped over.
   */
  synchronized void speed(double s, Instant stop) {
    if (s != speed) {
      anchor = instant();
      anchorNanos = System.nanoTime();
      speed = s;
    }
    stopAt = stop;
  }

  synchronized double speed() {
    return speed;
  }

  @Override
  public synchronized Instant instant() {
    long elapsed = System.nanoTime() - anchorNanos;
    Instant t = anchor.plusNanos((long) (elapsed * speed));
    return stopAt != null && t.isAfter(stopAt) && !anchor.isAfter(stopAt) ? stopAt : t;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the demo clock is UTC");
  }
}
