package io.spotnest.migration;

/**
 * What a plan measures of a running guest before its move.
 *
 * @param nonZeroBytes the part of its RAM holding non-zero pages ({@link
 *     Hypervisor#nonZeroMemoryBytes})
 * @param dirtyRate how fast it dirties its memory, and over how much ({@link Hypervisor#dirtyRate})
 */
record GuestMeasurement(long nonZeroBytes, DirtyRate dirtyRate) {

  GuestMeasurement {
    if (nonZeroBytes < 0 || dirtyRate == null) {
      throw new IllegalArgumentException(
          "nonZeroBytes must be zero or positive and dirtyRate given, was "
              + nonZeroBytes
              + ", "
              + dirtyRate);
    }
  }
}
