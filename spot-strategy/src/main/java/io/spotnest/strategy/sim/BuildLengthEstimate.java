package io.spotnest.strategy.sim;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a strategy is told of a build's length, within one run. {@link Mode#EXACT}: its true length
 * (hindsight; the oracle always, the published tables so far). {@link Mode#HISTORY}: what the
 * orchestrator has, Jenkins' estimate from past builds: fixed when the build arrives, the mean
 * length of the builds that finished before then, or {@link #FALLBACK} while none has. Either way a
 * strategy sees remaining = max(0, expected − elapsed), as the orchestrator's {@code
 * StrategyInputs} computes it.
 */
public final class BuildLengthEstimate {
  /** Where the lengths a strategy sees come from. */
  public enum Mode {
    EXACT,
    HISTORY;

    /** {@code exact} or {@code history} (any case); anything else is refused. */
    public static Mode parse(String text) {
      return switch (text.strip().toLowerCase(Locale.ROOT)) {
        case "exact" -> EXACT;
        case "history" -> HISTORY;
        default ->
            throw new IllegalArgumentException("must be exact or history (got " + text + ")");
      };
    }
  }

  /**
   * The expected length before any build finished: the median of the generated workload's lengths
   * (log-uniform in 20–180 min, see {@link WorkloadGenerator}), a guess no better informed than
   * "about an hour".
   */
  public static final Duration FALLBACK = Duration.ofMinutes(60);

  private final Mode mode;
  private final Map<Build, Double> expectedMin = new HashMap<>();
  private double finishedMin;
  private int finished;

  public BuildLengthEstimate(Mode mode) {
    this.mode = java.util.Objects.requireNonNull(mode, "mode");
  }

  /** {@code build} arrived: its estimate is fixed now (a later arrival of it keeps the first). */
  void arrived(Build build) {
    expectedMin.putIfAbsent(
        build, finished == 0 ? FALLBACK.toSeconds() / 60.0 : finishedMin / finished);
  }

  /** {@code build} finished: later arrivals count its length. */
  void finished(Build build) {
    finishedMin += build.durationMin();
    finished++;
  }

  /** The length expected of {@code build}; with history only once it arrived. */
  Duration expected(Build build) {
    return Duration.ofSeconds((long) (expectedMin(build) * 60));
  }

  /** max(0, expected − {@code elapsed}). */
  Duration remaining(Build build, Duration elapsed) {
    return Duration.ofSeconds(
        (long) Math.max(0, remainingSeconds(build, elapsed.toMillis() / 1000.0)));
  }

  /** Expected − {@code elapsedSeconds}, unclamped (exact: the true remaining work). */
  double remainingSeconds(Build build, double elapsedSeconds) {
    return expectedMin(build) * 60 - elapsedSeconds;
  }

  private double expectedMin(Build build) {
    if (mode == Mode.EXACT) {
      return build.durationMin();
    }
    Double min = expectedMin.get(build);
    if (min == null) {
      throw new IllegalStateException("build " + build.id() + " has not arrived");
    }
    return min;
  }
}
