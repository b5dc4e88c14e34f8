package io.spotnest.migration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/** A clock the test moves: real time passing plus whatever the test adds. */
final class TestClock extends Clock {

  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  void advance(Duration d) {
    offset.updateAndGet(o -> o.plus(d));
  }

  /**
   * Waits {@code wait} for {@code result}; one still missing then is fetched by moving this clock
   * on 500 ms at a time (for 10 s at most, so a minute's wait on it takes a moment) and waiting 5 s
   * more.
   */
  <T> T awaitMovingOn(CompletableFuture<T> result, Duration wait) throws Exception {
    try {
      return result.get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException late) {
      long until = System.nanoTime() + 10_000_000_000L;
      while (!result.isDone() && System.nanoTime() < until) {
        advance(Duration.ofMillis(500));
        Thread.sleep(10);
      }
      return result.get(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset.get());
  }
}
