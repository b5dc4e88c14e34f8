package io.spotnest.strategy.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a strategy is told of a build's length, within one run. {@link Mode#EXACT}: its true length
 * (hindsight; the oracle always, the published tables so far). {@link Mode#HISTORY}: what the
 * orchestrator has, Jenkins' estimate from past builds: fixed when the build arrives, the mean
 * length of the builds that finished before then, or {@link #FALLBACK} while none has; a strategy
 * sees remaining = max(0, expected − elapsed), as the orchestrator's {@code StrategyInputs}
 * computes it. {@link Mode#CONDITIONAL}: the same expected length, and as remaining the mean time
 * the builds finished so far that ran longer than this one so far had left at its elapsed time (an
 * overrunning build is not read as about to finish while a past one ran longer); not what the
 * orchestrator computes.
 */
public final class BuildLengthEstimate {
  /** Where the lengths a strategy sees come from. */
  public enum Mode {
    EXACT,
    HISTORY,
    CONDITIONAL;

    /**
     * {@code exact}, {@code history} or {@code conditional} (any case); anything else is refused.
     */
    public static Mode parse(String text) {
      return switch (text.strip().toLowerCase(Locale.ROOT)) {
        case "exact" -> EXACT;
        case "history" -> HISTORY;
        case "conditional" -> CONDITIONAL;
        default ->
            throw new IllegalArgumentException(
                "must be exact, history or conditional (got " + text + ")");
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
  private final List<Double> lengthsMin = new ArrayList<>(); // of the builds finished so far
  private double finishedMin; // their sum

  public BuildLengthEstimate(Mode mode) {
    this.mode = Objects.requireNonNull(mode, "mode");
  }

  /** {@code build} arrived: its estimate is fixed now (a later arrival of it keeps the first). */
  void arrived(Build build) {
    expectedMin.putIfAbsent(
        build,
        lengthsMin.isEmpty() ? FALLBACK.toSeconds() / 60.0 : finishedMin / lengthsMin.size());
  }

  /** {@code build} finished: later arrivals count its length. */
  void finished(Build build) {
    lengthsMin.add(build.durationMin());
    finishedMin += build.durationMin();
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

  /**
   * Expected − {@code elapsedSeconds}, unclamped (exact: the true remaining work); with {@link
   * Mode#CONDITIONAL} the mean time the builds finished so far that ran longer than that had left
   * then, or expected − elapsed while none did.
   */
  double remainingSeconds(Build build, double elapsedSeconds) {
    if (mode == Mode.CONDITIONAL) {
      double e = elapsedSeconds / 60.0;
      double sum = 0;
      int n = 0;
      for (double l : lengthsMin) {
        if (l > e) {
          sum += l - e;
          n++;
        }
      }
      if (n > 0) {
        return sum / n * 60;
      }
    }
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
