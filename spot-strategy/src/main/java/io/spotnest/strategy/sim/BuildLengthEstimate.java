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

  /** The run's true lengths with {@link Mode#EXACT}; null otherwise: the estimate holds none. */
  private final TrueLengths truth;

  private final Map<BuildRequest, Duration> expected = new HashMap<>();
  private final BuildLengths finished = new BuildLengths(Integer.MAX_VALUE); // of this run so far

  /**
   * An estimate from the builds that finished ({@link Mode#HISTORY} or {@link Mode#CONDITIONAL}):
   * it holds no true length, only those the simulator tells it of finished builds.
   */
  BuildLengthEstimate(Mode mode) {
    this(mode, null);
    if (mode == Mode.EXACT) {
      throw new IllegalArgumentException("the exact mode tells the true lengths: give them");
    }
  }

  /**
   * Hindsight ({@link Mode#EXACT}): the true lengths of the run's builds, {@code truth}, as they
   * are.
   */
  BuildLengthEstimate(TrueLengths truth) {
    this(Mode.EXACT, Objects.requireNonNull(truth, "truth"));
  }

  private BuildLengthEstimate(Mode mode, TrueLengths truth) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.truth = truth;
  }

  /** {@code build} arrived: its estimate is fixed now (a later arrival of it keeps the first). */
  void arrived(BuildRequest build) {
    if (mode != Mode.EXACT) {
      expected.putIfAbsent(build, finished.expected(FALLBACK));
    }
  }

  /** A build finished after running {@code length}: later arrivals count it (not with exact). */
  void finished(Duration length) {
    if (mode != Mode.EXACT) {
      finished.add(length);
    }
  }

  /** The length expected of {@code build}; with history only once it arrived. */
  Duration expected(BuildRequest build) {
    if (mode == Mode.EXACT) {
      return truth.of(build);
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
  Duration remaining(BuildRequest build, Duration elapsed) {
    Duration left =
        mode == Mode.CONDITIONAL
            ? finished.remaining(expected(build), elapsed)
            : expected(build).minus(elapsed);
    return left.isNegative() ? Duration.ZERO : Duration.ofSeconds(left.toSeconds());
  }
}
