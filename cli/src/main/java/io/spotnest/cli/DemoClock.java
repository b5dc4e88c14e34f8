package io.spotnest.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The demo's clock: its instants are those of the replayed trace. It runs {@code speed} times faster than the wall
 * clock while nothing is happening, and at wall speed (1×) whenever something real runs (a VM booting, a
 * migration, a notice's countdown), so every deadline the engine and the orchestrator see is real time.
 */
final class DemoClock extends Clock {
  private Instant anchor;
  private long anchorNanos;
  private double speed = 1;

  DemoClock(Instant start) {
    this.anchor = start;
    this.anchorNanos = System.nanoTime();
  }

  /** Changes the speed from now on (trace seconds per wall second). */
  synchronized void speed(double s) {
    if (s == speed) {
      return;
    }
    anchor = instant();
    anchorNanos = System.nanoTime();
    speed = s;
  }

  synchronized double speed() {
    return speed;
  }

  @Override
  public synchronized Instant instant() {
    long elapsed = System.nanoTime() - anchorNanos;
    return anchor.plusNanos((long) (elapsed * speed));
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
