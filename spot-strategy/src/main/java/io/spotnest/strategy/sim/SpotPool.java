package io.spotnest.strategy.sim;

import io.spotnest.strategy.data.AdvisorEntry;
import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.MinuteTimeline;
import io.spotnest.strategy.data.TraceSignalFeed;
import io.spotnest.strategy.signal.InterruptionNotice;
import io.spotnest.strategy.signal.PoolId;
import io.spotnest.strategy.signal.PoolSnapshot;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongSupplier;

/**
 * A spot pool as a strategy sees it during a run: its identity, price and host size, what the trace
 * has shown so far (through a causal {@link TraceSignalFeed}: reclamations and capacity runs as
 * they happen, and the notices of our own hosts there, not a notice for every reclamation) and when
 * our own launch there last failed. It has no way to the future: the trace is held privately by the
 * feed and only ever read up to the run's present, by a clock only the simulator holds (no caller
 * names the time), and whether the pool has capacity is learnt only from a launch that fails (see
 * {@link Fleet#launch}).
 */
final class SpotPool {
  private final PoolId id;
  private final double spotToOnDemand;
  private final double hostRamGiB;
  private final Optional<AdvisorEntry> advisor;
  private final Instant start;
  private final CapacityTrace trace;
  private final LongSupplier clock;
  private TraceSignalFeed feed;
  private long lastFailedLaunchAt = Long.MIN_VALUE;

  /** The view of {@code market} in a run whose present second {@code clock} tells. */
  SpotPool(PoolMarket market, LongSupplier clock) {
    this.id = market.trace().pool();
    this.spotToOnDemand = market.spotToOnDemand();
    this.hostRamGiB = market.hostRamGiB();
    this.advisor = market.advisor();
    this.start = market.trace().start();
    this.trace = market.trace();
    this.clock = clock;
  }

  PoolId id() {
    return id;
  }

  String zone() {
    return id.zone();
  }

  String region() {
    return id.region();
  }

  double spotToOnDemand() {
    return spotToOnDemand;
  }

  double hostRamGiB() {
    return hostRamGiB;
  }

  /** The instant of simulation second {@code second}. */
  Instant instant(long second) {
    return start.plusSeconds(second);
  }

  /** What the trace and the provider's notices have shown up to the run's present (never later). */
  PoolSnapshot observe() {
    long second = clock.getAsLong();
    if (feed == null) {
      feed =
          new TraceSignalFeed(trace, MinuteTimeline.of(trace), advisor, OptionalInt.empty(), false);
    }
    feed.advanceTo(second);
    return feed.observer().snapshot(instant(second));
  }

  /**
   * The provider's notice for one of our hosts in this pool, now: the only notices a strategy gets.
   */
  void noticeReceived(long deadlineSecond, String hostId) {
    long second = clock.getAsLong();
    observe();
    feed.observer()
        .accept(new InterruptionNotice(id, instant(second), hostId, instant(deadlineSecond)));
  }

  /** When our last launch in this pool failed for lack of capacity, or {@link Long#MIN_VALUE}. */
  long lastFailedLaunchAt() {
    return lastFailedLaunchAt;
  }

  /** Whether a launch here failed within the last {@code seconds} before {@code now}. */
  boolean failedWithin(long now, long seconds) {
    return lastFailedLaunchAt != Long.MIN_VALUE && now - lastFailedLaunchAt < seconds;
  }

  void launchFailed(long now) {
    lastFailedLaunchAt = now;
  }

  @Override
  public String toString() {
    return id.toString();
  }
}
