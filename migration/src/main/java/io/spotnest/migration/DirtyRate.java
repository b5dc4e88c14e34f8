package io.spotnest.migration;

import java.util.OptionalLong;

/**
 * How fast a guest dirties its memory, and over how much of it.
 *
 * @param bytesPerSecond the dirty rate
 * @param workingSetBytes the memory the guest keeps rewriting, when the measurement saw it (a
 *     longer calculation changed clearly fewer pages than the rate would over that time); empty
 *     when it did not (all of RAM may be rewritten)
 */
public record DirtyRate(long bytesPerSecond, OptionalLong workingSetBytes) {

  public DirtyRate {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("bytesPerSecond must be zero or positive");
    }
    if (workingSetBytes == null
        || (workingSetBytes.isPresent() && workingSetBytes.getAsLong() <= 0)) {
      throw new IllegalArgumentException("workingSetBytes must be empty or positive");
    }
  }

  /** A rate without a working-set figure. */
  public static DirtyRate of(long bytesPerSecond) {
    return new DirtyRate(bytesPerSecond, OptionalLong.empty());
  }
}
