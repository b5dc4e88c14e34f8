package io.spotnest.strategy.sim;

import io.spotnest.strategy.fleet.BuildLengths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a strategy is told of a build's length, within one run. {@link Mode#EXACT}: its true length
 * (hindsight; the oracle always, the tables published before {@link Mode#CONDITIONAL} became the
 * default). {@link Mode#HISTORY}: what the orchestrator has, Jenkins' estimate from past builds:
 * fixed when the build arrives, the mean length of the builds that finished before then, or {@link
 * #FALLBACK} while none has; a strategy sees remaining = max(0, expected − elapsed). {@link
 * Mode#CONDITIONAL}: the same expected length, and as remaining the mean time the builds finished
 * so far that ran longer than this one so far had left at its elapsed time ({@link BuildLengths},
 * the class the orchestrator's {@code StrategyInputs} uses per agent template: an overrunning build
 * is not read as about to finish while a past one ran longer).
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
  private final Map<Build, Duration> expected = new HashMap<>();
  private final BuildLengths finished = new BuildLengths(Integer.MAX_VALUE); // of this run so far

  public BuildLengthEstimate(Mode mode) {
    this.mode = Objects.requireNonNull(mode, "mode");
  }

  /** {@code build} arrived: its estimate is fixed now (a later arrival of it keeps the first). */
  void arrived(Build build) {
    expected.putIfAbsent(build, finished.expected(FALLBACK));
  }

  /** {@code build} finished: later arrivals count its length. */
  void finished(Build build) {
    finished.add(length(build));
  }

  /** The length expected of {@code build}; with history only once it arrived. */
  Duration expected(Build build) {
    if (mode == Mode.EXACT) {
      return length(build);
    }
    Duration d = expected.get(build);
    if (d == null) {
      throw new IllegalStateException("build " + build.id() + " has not arrived");
    }
    return d;
  }

  /**
   * What a strategy sees as time left after {@code elapsed}, in whole seconds: max(0, expected −
   * elapsed), or with {@link Mode#CONDITIONAL} what the builds finished so far say ({@link
   * BuildLengths#remaining}).
   */
  Duration remaining(Build build, Duration elapsed) {
    Duration left =
        mode == Mode.CONDITIONAL
            ? finished.remaining(expected(build), elapsed)
            : expected(build).minus(elapsed);
    return left.isNegative() ? Duration.ZERO : Duration.ofSeconds(left.toSeconds());
  }

  private static Duration length(Build build) {
    return Duration.ofMillis(Math.round(build.durationMin() * 60_000));
  }
}
