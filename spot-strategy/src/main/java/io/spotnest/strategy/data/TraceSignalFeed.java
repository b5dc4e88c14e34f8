package io.spotnest.strategy.data;

import io.spotnest.strategy.signal.HostAge;
import io.spotnest.strategy.signal.InterruptionFrequency;
import io.spotnest.strategy.signal.InterruptionNotice;
import io.spotnest.strategy.signal.PoolObserver;
import io.spotnest.strategy.signal.RebalanceRecommendation;
import io.spotnest.strategy.signal.Reclamation;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Feeds a {@link PoolObserver} from a trace, causally: advancing to second s delivers the trace
 * ticks at or before s (a drop becomes a {@link Reclamation}, a rise from zero a new host of age 0)
 * and the 2-minute {@link InterruptionNotice} of every reclamation due within 2 minutes. An
 * optional what-if injects a rebalance recommendation a fixed lead before each reclamation (the
 * traces hold no rebalance timing).
 */
public final class TraceSignalFeed {
  private final CapacityTrace trace;
  private final MinuteTimeline timeline;
  private final PoolObserver observer;
  private final OptionalInt whatIfRebalanceLeadMin;
  private final boolean poolNotices;
  private int tick;
  private int nextNotice;
  private int nextRebalance;
  private Instant latest;
  private long lastSecond = -1;

  public TraceSignalFeed(
      CapacityTrace trace,
      MinuteTimeline timeline,
      Optional<AdvisorEntry> advisor,
      OptionalInt whatIfRebalanceLeadMin) {
    this(trace, timeline, advisor, whatIfRebalanceLeadMin, true);
  }

  /**
   * As above; without {@code poolNotices} no notice is derived from the trace (a caller that owns
   * hosts in the pool gets their notices itself and passes them to {@link #observer()}; a pool
   * where it has none sends it nothing).
   */
  public TraceSignalFeed(
      CapacityTrace trace,
      MinuteTimeline timeline,
      Optional<AdvisorEntry> advisor,
      OptionalInt whatIfRebalanceLeadMin,
      boolean poolNotices) {
    this.poolNotices = poolNotices;
    this.trace = Objects.requireNonNull(trace, "trace");
    this.timeline = Objects.requireNonNull(timeline, "timeline");
    this.whatIfRebalanceLeadMin =
        Objects.requireNonNull(whatIfRebalanceLeadMin, "whatIfRebalanceLeadMin");
    this.observer = new PoolObserver(trace.pool());
    this.latest = trace.start();
    advisor.ifPresent(
        a -> {
          observer.accept(new InterruptionFrequency(trace.pool(), trace.start(), a.bucket()));
          observer.baselineSpotToOnDemand(Math.max(0.01, a.spotToOnDemand()));
        });
  }

  public PoolObserver observer() {
    return observer;
  }

  /** Delivers everything known by {@code second} seconds after the trace start. */
  public void advanceTo(long second) {
    if (second < lastSecond) {
      throw new IllegalArgumentException(
          "cannot go back from " + lastSecond + " s to " + second + " s");
    }
    if (lastSecond >= 0 && timeline.up((int) Math.min(timeline.minutes() - 1, lastSecond / 60))) {
      observer.addExposure(Duration.ofSeconds(second - lastSecond));
    }
    lastSecond = second;
    Instant start = trace.start();
    Instant now = start.plusSeconds(second);
    while (tick < trace.ticks() && (long) tick * trace.gapSeconds() <= second) {
      Instant at = start.plusSeconds((long) tick * trace.gapSeconds());
      int prev = tick == 0 ? 0 : trace.count(tick - 1);
      int cur = trace.count(tick);
      if (cur < prev) {
        observer.accept(new Reclamation(trace.pool(), at));
      }
      if (cur > 0 && prev == 0) {
        observer.accept(new HostAge(trace.pool(), at, "trace", Duration.ZERO));
      } else if (cur == 0 && prev > 0) {
        observer.down(at);
      }
      latest = at;
      tick++;
    }
    if (whatIfRebalanceLeadMin.isPresent()) {
      int lead = whatIfRebalanceLeadMin.getAsInt();
      while (nextRebalance < timeline.reclamationCount()
          && (timeline.reclamation(nextRebalance) - lead) * 60 <= second) {
        Instant at =
            later(
                start.plusMillis((long) ((timeline.reclamation(nextRebalance) - lead) * 60_000)),
                latest);
        observer.accept(new RebalanceRecommendation(trace.pool(), at, "trace"));
        latest = at;
        nextRebalance++;
      }
    }
    double noticeMin = InterruptionNotice.AWS_NOTICE.toSeconds() / 60.0;
    while (poolNotices
        && nextNotice < timeline.reclamationCount()
        && (timeline.reclamation(nextNotice) - noticeMin) * 60 <= second) {
      Instant deadline = start.plusMillis((long) (timeline.reclamation(nextNotice) * 60_000));
      if (deadline.isAfter(now)) {
        Instant at = later(deadline.minus(InterruptionNotice.AWS_NOTICE), latest);
        observer.accept(new InterruptionNotice(trace.pool(), at, "trace", deadline));
        latest = at;
      }
      nextNotice++;
    }
  }

  /**
   * Whether a notice is pending at the last advanced second (the scoring of a detector must stop
   * there).
   */
  public boolean noticePending() {
    return nextNotice > 0 && timeline.reclamation(nextNotice - 1) * 60 > lastSecond;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
