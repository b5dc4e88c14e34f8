package io.spotnest.strategy.sim;

import io.spotnest.strategy.fleet.CopyRequest;
import java.util.Locale;

/**
 * Which builds of a workload ask for a standing copy (issue 12 Part C), the simulator's stand-in
 * for the orchestrator's per-agent wish (a Jenkins template's standing-copy box): a build asks when
 * its expected length exceeds {@code longerThanMin} minutes, as a team ticks the box on its
 * long-build template, and the others leave it to the fleet (only {@code --standing-copies AT_RISK}
 * may still copy them). {@code all} is a threshold of 0 (every build asks: the simulator before the
 * wish); {@code none} is every build refusing a copy (none is ever copied, in any mode).
 *
 * <p>{@link #DEFAULT} is {@code long:60}: a build of over an hour is what a team calls long, and it
 * is the generated workload's median (durations log-uniform in 20-180 min: 20 x sqrt(9) = 60), so
 * half the builds ask. It was chosen before any run, not fitted on simulated results.
 *
 * @param longerThanMin a build asks when its duration is above this many minutes
 */
public record CopyWish(double longerThanMin) {
  /** Every build asks. */
  public static final CopyWish ALL = new CopyWish(0);

  /** No build asks. */
  public static final CopyWish NONE = new CopyWish(Double.POSITIVE_INFINITY);

  /** The documented rule for the shared traces: builds longer than an hour ask. */
  public static final CopyWish DEFAULT = new CopyWish(60);

  public CopyWish {
    if (!(longerThanMin >= 0)) {
      throw new IllegalArgumentException(
          "longerThanMin must be a number >= 0, got " + longerThanMin);
    }
  }

  /**
   * {@code all}, {@code none} or {@code long:<minutes>} (a finite number >= 0); anything else is
   * refused with a message naming the accepted forms.
   */
  public static CopyWish parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("all")) {
      return ALL;
    }
    if (t.equals("none")) {
      return NONE;
    }
    if (t.startsWith("long:")) {
      String m = t.substring("long:".length()).strip();
      double v;
      try {
        v = Double.parseDouble(m);
      } catch (NumberFormatException e) {
        v = Double.NaN;
      }
      if (v >= 0 && Double.isFinite(v) && !m.endsWith("d") && !m.endsWith("f")) {
        return new CopyWish(v);
      }
    }
    throw new IllegalArgumentException(
        "must be all, none or long:<minutes> with minutes a number >= 0 (got " + text + ")");
  }

  /** Whether {@code build} asks for a standing copy under this rule. */
  public boolean asks(Build build) {
    return build.durationMin() > longerThanMin;
  }

  /**
   * What {@code build} says under this rule: asked when it {@link #asks}, refused under {@code
   * none}, else left to the fleet.
   */
  public CopyRequest request(Build build) {
    if (Double.isInfinite(longerThanMin)) {
      return CopyRequest.REFUSED;
    }
    return asks(build) ? CopyRequest.ASKED : CopyRequest.UNSET;
  }

  @Override
  public String toString() {
    if (longerThanMin == 0) {
      return "all";
    }
    if (Double.isInfinite(longerThanMin)) {
      return "none";
    }
    return longerThanMin == Math.rint(longerThanMin)
        ? "long:" + (long) longerThanMin
        : "long:" + longerThanMin;
  }
}
