package io.spotnest.migration;

import java.time.Duration;

/**
 * The measured facts a {@link MigrationPlan} is computed from.
 *
 * @param ramBytes guest RAM
 * @param dirtyBytesPerSecond how fast the guest rewrites its memory (measured)
 * @param linkBytesPerSecond bandwidth between source and destination (measured)
 * @param diskBytes written blocks of the guest's overlay disks that must move with it
 * @param deadline time left until the source may disappear
 * @param nonZeroRamBytes the part of RAM holding non-zero pages (measured by sampling the guest's
 *     pages, {@link Hypervisor#nonZeroMemoryBytes}): the first pass sends these in full and the
 *     rest as zero-page records
 */
public record MigrationInputs(
    long ramBytes,
    long dirtyBytesPerSecond,
    long linkBytesPerSecond,
    long diskBytes,
    Duration deadline,
    long nonZeroRamBytes) {

  /** Inputs without a zero-page measurement: all of RAM counts as non-zero. */
  public MigrationInputs(
      long ramBytes,
      long dirtyBytesPerSecond,
      long linkBytesPerSecond,
      long diskBytes,
      Duration deadline) {
    this(ramBytes, dirtyBytesPerSecond, linkBytesPerSecond, diskBytes, deadline, ramBytes);
  }

  public MigrationInputs {
    if (ramBytes <= 0) {
      throw new IllegalArgumentException("guest ramBytes must be positive, was " + ramBytes);
    }
    if (dirtyBytesPerSecond < 0) {
      throw new IllegalArgumentException(
          "dirtyBytesPerSecond must be zero or positive, was " + dirtyBytesPerSecond);
    }
    if (linkBytesPerSecond <= 0) {
      throw new IllegalArgumentException(
          "linkBytesPerSecond must be positive, was " + linkBytesPerSecond);
    }
    if (diskBytes < 0) {
      throw new IllegalArgumentException("diskBytes must be zero or positive, was " + diskBytes);
    }
    if (nonZeroRamBytes < 0 || nonZeroRamBytes > ramBytes) {
      throw new IllegalArgumentException(
          "nonZeroRamBytes must be between 0 and ramBytes, was " + nonZeroRamBytes);
    }
    if (deadline == null || deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, was " + deadline);
    }
  }
}
