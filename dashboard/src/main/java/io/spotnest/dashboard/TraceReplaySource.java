package io.spotnest.dashboard;

import io.spotnest.strategy.data.AdvisorEntry;
import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.MinuteTimeline;
import io.spotnest.strategy.data.TraceSignalFeed;
import io.spotnest.strategy.risk.RiskModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A {@link DashboardSource} with real numbers and no fleet: real spot traces replayed, sped up,
 * through the risk model, minute by minute and causally ({@link TraceSignalFeed}), giving each
 * pool's risk over time. It has no hosts, agents, migrations or savings (a trace holds none) and
 * says so in its notes; a real run's source provides those.
 */
public final class TraceReplaySource implements DashboardSource {

  /**
   * How the replay runs.
   *
   * @param speed trace seconds per wall-clock second
   * @param warmup trace time already shown when the replay starts
   * @param step one point per step per pool: the highest risk in the step (a pool without capacity
   *     has none)
   * @param horizon the horizon of the risk shown
   */
  public record Settings(double speed, Duration warmup, Duration step, Duration horizon) {
    /**
     * 10 trace minutes a second, a day shown at the start, 10-minute points, a 15-minute horizon.
     */
    public static final Settings DEFAULTS =
        new Settings(600, Duration.ofHours(24), Duration.ofMinutes(10), Duration.ofMinutes(15));

    public Settings {
      if (!(speed > 0 && speed <= 1_000_000)) {
        throw new IllegalArgumentException("speed must be in (0, 1000000], got " + speed);
      }
      if (warmup.isNegative() || step.toMinutes() < 1 || horizon.toMinutes() < 1) {
        throw new IllegalArgumentException("warmup must be >= 0, step and horizon >= 1 minute");
      }
    }
  }

  /**
   * One pool's precomputed series: per step, the instant of its last minute and its highest risk
   * (NaN if down).
   */
  private record Series(CapacityTrace trace, long[] atEpochMs, double[] risk, int stepMinutes) {}

  private final List<Series> series;
  private final Settings settings;
  private final Clock clock;
  private final Instant startedAt;
  private final List<String> notes;

  public TraceReplaySource(
      List<CapacityTrace> traces,
      Function<CapacityTrace, Optional<AdvisorEntry>> advisor,
      RiskModel model,
      Settings settings,
      Clock clock) {
    if (traces.isEmpty()) {
      throw new IllegalArgumentException("a trace replay needs at least one trace");
    }
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.startedAt = clock.instant();
    this.series = traces.stream().map(t -> replay(t, advisor.apply(t), model)).toList();
    this.notes =
        List.of(
            "Risk: real spot traces ("
                + traces.stream().map(CapacityTrace::name).collect(Collectors.joining(", "))
                + ") replayed at "
                + fmt(settings.speed())
                + "x through the risk model: P(reclaim within "
                + settings.horizon().toMinutes()
                + " min), the highest per "
                + settings.step().toMinutes()
                + "-min step; a pool without capacity has no point (its line breaks).",
            "This source replays a market trace only: no hosts, agents, migrations or savings. A real run"
                + " (the orchestrator, ./spotnest demo) provides them.");
  }

  private Series replay(CapacityTrace trace, Optional<AdvisorEntry> advice, RiskModel model) {
    MinuteTimeline timeline = MinuteTimeline.of(trace);
    TraceSignalFeed feed = new TraceSignalFeed(trace, timeline, advice, OptionalInt.empty());
    int step = (int) settings.step().toMinutes();
    int steps = timeline.minutes() / step;
    long[] at = new long[steps];
    double[] risk = new double[steps];
    for (int k = 0; k < steps; k++) {
      double highest = Double.NaN;
      for (int m = k * step; m < (k + 1) * step; m++) {
        feed.advanceTo(60L * m);
        if (timeline.up(m)) {
          double p =
              model
                  .assess(feed.observer().snapshot(trace.start().plusSeconds(60L * m)))
                  .probabilityWithin(settings.horizon());
          highest = Double.isNaN(highest) ? p : Math.max(highest, p);
        }
      }
      at[k] = trace.start().plusSeconds(60L * ((k + 1) * step - 1)).toEpochMilli();
      risk[k] = highest;
    }
    return new Series(trace, at, risk, step);
  }

  @Override
  public DashboardSnapshot snapshot() {
    double elapsed = Duration.between(startedAt, clock.instant()).toMillis() / 1000.0;
    long shownSec = (long) Math.max(0, settings.warmup().toSeconds() + elapsed * settings.speed());
    List<PoolRisk> risk = new ArrayList<>();
    long asOf = Long.MIN_VALUE;
    for (Series s : series) {
      long revealed = Math.min(shownSec, s.trace().length().toSeconds());
      long until = s.trace().start().plusSeconds(revealed).toEpochMilli();
      asOf = Math.max(asOf, until);
      List<RiskPoint> points = new ArrayList<>();
      for (int k = 0; k < s.atEpochMs().length && s.atEpochMs()[k] <= until; k++) {
        if (!Double.isNaN(s.risk()[k])) {
          points.add(new RiskPoint(s.atEpochMs()[k], s.risk()[k]));
        }
      }
      risk.add(
          new PoolRisk(
              s.trace().pool().toString(),
              s.trace().pool().zone(),
              (int) settings.horizon().toMinutes(),
              points,
              settings.step().toMillis() * 3 / 2)); // a step without a point: no capacity
    }
    return new DashboardSnapshot(
        asOf,
        "trace replay",
        notes,
        List.of(),
        List.of(),
        risk,
        List.of(),
        List.of(),
        List.of(),
        Savings.NONE);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
