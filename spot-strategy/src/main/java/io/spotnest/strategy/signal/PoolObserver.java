package io.spotnest.strategy.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Accumulates the signals of one pool in time order and hands out {@link PoolSnapshot}s. It refuses
 * a signal older than one already seen and a snapshot earlier than the newest signal, so nothing
 * from the future can leak into a decision.
 */
public final class PoolObserver {
  /** How far back individual reclamation instants are kept for the burst term. */
  public static final Duration LOOK_BACK = Duration.ofHours(24);

  private final PoolId pool;
  private Instant latest = Instant.EPOCH;
  private InterruptionFrequency frequency;
  private SpotPrice spot;
  private OnDemandPrice onDemand;
  private Double baselineRatio;
  private CapacityScore capacity;
  private Instant upSince;
  private final Deque<Instant> reclamations = new ArrayDeque<>();
  private int observedReclamations;
  private Duration exposure = Duration.ZERO;
  private InterruptionNotice notice;
  private RebalanceRecommendation rebalance;

  public PoolObserver(PoolId pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  public PoolId pool() {
    return pool;
  }

  /** Sets the pool's usual spot/on-demand ratio (e.g. 1 - Advisor saving). */
  public void baselineSpotToOnDemand(double ratio) {
    if (!(ratio > 0 && ratio <= 20)) {
      throw new IllegalArgumentException(
          "baseline spot/on-demand ratio must be in (0, 20], got " + ratio);
    }
    this.baselineRatio = ratio;
  }

  /** Records one signal; signals must arrive in time order. */
  public void accept(RiskSignal signal) {
    if (!signal.pool().equals(pool)) {
      throw new IllegalArgumentException(
          "signal for " + signal.pool() + " given to observer of " + pool);
    }
    if (signal.at().isBefore(latest)) {
      throw new IllegalArgumentException("signal at " + signal.at() + " is older than " + latest);
    }
    latest = signal.at();
    if (signal instanceof InterruptionFrequency f) {
      frequency = f;
    } else if (signal instanceof SpotPrice s) {
      spot = s;
    } else if (signal instanceof OnDemandPrice o) {
      onDemand = o;
    } else if (signal instanceof CapacityScore c) {
      capacity = c;
    } else if (signal instanceof RebalanceRecommendation r) {
      rebalance = r;
    } else if (signal instanceof InterruptionNotice n) {
      notice = n;
    } else if (signal instanceof HostAge h) {
      upSince = h.at().minus(h.age());
    } else if (signal instanceof Reclamation r) {
      reclamations.addLast(r.at());
      observedReclamations++;
      notice = null;
      rebalance = null;
    }
  }

  /** The pool had running hosts for {@code d} more time (the exposure behind the observed rate). */
  public void addExposure(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("exposure must not be negative");
    }
    exposure = exposure.plus(d);
  }

  /** The pool has no running host any more (capacity gone without an observed reclamation). */
  public void down(Instant at) {
    if (at.isBefore(latest)) {
      throw new IllegalArgumentException("down at " + at + " is older than " + latest);
    }
    latest = at;
    upSince = null;
  }

  /**
   * A snapshot of what is known at {@code now}; {@code now} must not precede any accepted signal.
   */
  public PoolSnapshot snapshot(Instant now) {
    if (now.isBefore(latest)) {
      throw new IllegalStateException(
          "snapshot at " + now + " precedes a signal seen at " + latest);
    }
    Instant from = now.minus(LOOK_BACK);
    while (!reclamations.isEmpty() && reclamations.peekFirst().isBefore(from)) {
      reclamations.removeFirst();
    }
    OptionalDouble ratio =
        spot != null && onDemand != null && onDemand.usdPerHour() > 0
            ? OptionalDouble.of(spot.usdPerHour() / onDemand.usdPerHour())
            : OptionalDouble.empty();
    Optional<RebalanceRecommendation> recentRebalance =
        Optional.ofNullable(rebalance)
            .filter(r -> r.at().isAfter(now.minus(Duration.ofMinutes(30))));
    Optional<InterruptionNotice> pending =
        Optional.ofNullable(notice).filter(n -> !n.deadline().isBefore(now));
    return new PoolSnapshot(
        pool,
        now,
        Optional.ofNullable(frequency),
        ratio,
        baselineRatio == null ? OptionalDouble.empty() : OptionalDouble.of(baselineRatio),
        Optional.ofNullable(capacity),
        upSince == null ? Optional.empty() : Optional.of(Duration.between(upSince, now)),
        reclamations.stream().toList(),
        observedReclamations,
        exposure,
        pending,
        recentRebalance);
  }
}
