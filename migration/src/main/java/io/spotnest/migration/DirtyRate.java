package io.spotnest.migration;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * How fast a guest dirties its memory, and over how much of it.
 *
 * @param bytesPerSecond the dirty rate
 * @param workingSetBytes the memory the guest keeps rewriting, when the measurement saw it (a
 *     longer calculation changed clearly fewer pages than the rate would over that time); empty
 *     when it did not (all of RAM may be rewritten)
 * @param changedBytes the memory the guest changed over {@code changedOver}, as the measurement's
 *     longer calculation saw it (two standard deviations of its sampling noise added), when the
 *     rate predicts enough changed samples in it to count (0 with {@code changedOver} zero when
 *     not)
 * @param changedOver the longer calculation's period ({@link Duration#ZERO} when {@code
 *     changedBytes} is not known)
 */
public record DirtyRate(
    long bytesPerSecond, OptionalLong workingSetBytes, long changedBytes, Duration changedOver) {

  public DirtyRate {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException(
          "bytesPerSecond must be zero or positive, was " + bytesPerSecond);
    }
    if (workingSetBytes == null
        || (workingSetBytes.isPresent() && workingSetBytes.getAsLong() <= 0)) {
      throw new IllegalArgumentException(
          "workingSetBytes must be empty or positive, was " + workingSetBytes);
    }
    // as MigrationInputs: a count of changes needs the window it was seen over
    if (changedBytes < 0
        || changedOver == null
        || changedOver.isNegative()
        || (changedBytes > 0 && changedOver.isZero())) {
      throw new IllegalArgumentException(
          "changedBytes must be zero or positive over a changedOver window, was "
              + changedBytes
              + " over "
              + changedOver);
    }
  }

  /** A rate with a working-set figure (or none) and no count of what changed over a window. */
  public DirtyRate(long bytesPerSecond, OptionalLong workingSetBytes) {
    this(bytesPerSecond, workingSetBytes, 0, Duration.ZERO);
  }

  /** A rate without a working-set figure. */
  public static DirtyRate of(long bytesPerSecond) {
    return new DirtyRate(bytesPerSecond, OptionalLong.empty());
  }
}
