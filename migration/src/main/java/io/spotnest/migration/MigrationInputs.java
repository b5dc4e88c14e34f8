package io.spotnest.migration;

import java.time.Duration;
import java.util.Locale;

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
 * @param workingSetBytes the memory the guest keeps rewriting (measured with the dirty rate, {@link
 *     DirtyRate}; all of RAM when not known): no pass after the first re-sends more
 * @param changedBytes what the guest was seen to change over {@code changedOver} ({@link
 *     DirtyRate#changedBytes}; 0 when not known): a shorter window changes at most this much, one
 *     at least as long at most this much per {@code changedOver}
 * @param changedOver the window {@code changedBytes} was seen over ({@link Duration#ZERO} when not
 *     known)
 * @param vcpuBusyShare the share of its vCPUs' time the guest kept them busy while its dirty rate
 *     was measured ({@link GuestMeasurement#vcpuBusyShare}), in (0, 1]; 1 when not known (a guest
 *     whose writes cost all its CPU, slowed in proportion by auto-converge's throttle)
 */
public record MigrationInputs(
    long ramBytes,
    long dirtyBytesPerSecond,
    long linkBytesPerSecond,
    long diskBytes,
    Duration deadline,
    long nonZeroRamBytes,
    long workingSetBytes,
    long changedBytes,
    Duration changedOver,
    double vcpuBusyShare) {

  /**
   * Inputs with only the basic measurements: all of RAM counts as non-zero and may be rewritten, no
   * window of changes is known and the guest counts as busy all the time; the {@code with} methods
   * add what was measured.
   */
  public MigrationInputs(
      long ramBytes,
      long dirtyBytesPerSecond,
      long linkBytesPerSecond,
      long diskBytes,
      Duration deadline) {
    this(
        ramBytes,
        dirtyBytesPerSecond,
        linkBytesPerSecond,
        diskBytes,
        deadline,
        ramBytes,
        ramBytes,
        0,
        Duration.ZERO,
        1);
  }

  /** These inputs with the measured non-zero part of RAM. */
  public MigrationInputs withNonZeroRam(long bytes) {
    return with(bytes, workingSetBytes, changedBytes, changedOver, vcpuBusyShare);
  }

  /** These inputs with the measured working set. */
  public MigrationInputs withWorkingSet(long bytes) {
    return with(nonZeroRamBytes, bytes, changedBytes, changedOver, vcpuBusyShare);
  }

  /** These inputs with what the guest was seen to change over a window. */
  public MigrationInputs withChanged(long bytes, Duration over) {
    return with(nonZeroRamBytes, workingSetBytes, bytes, over, vcpuBusyShare);
  }

  /** These inputs with the measured vCPU busy share. */
  public MigrationInputs withVcpuBusyShare(double share) {
    return with(nonZeroRamBytes, workingSetBytes, changedBytes, changedOver, share);
  }

  /** These inputs but for the measurements after the basic ones. */
  private MigrationInputs with(
      long nonZeroRamBytes,
      long workingSetBytes,
      long changedBytes,
      Duration changedOver,
      double vcpuBusyShare) {
    return new MigrationInputs(
        ramBytes,
        dirtyBytesPerSecond,
        linkBytesPerSecond,
        diskBytes,
        deadline,
        nonZeroRamBytes,
        workingSetBytes,
        changedBytes,
        changedOver,
        vcpuBusyShare);
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
    if (workingSetBytes <= 0 || workingSetBytes > ramBytes) {
      throw new IllegalArgumentException(
          "workingSetBytes must be positive and at most ramBytes, was " + workingSetBytes);
    }
    if (changedBytes < 0
        || changedBytes > ramBytes
        || changedOver == null
        || changedOver.isNegative()
        || (changedBytes > 0 && changedOver.isZero())) {
      throw new IllegalArgumentException(
          "changedBytes must be between 0 and ramBytes over a changedOver window, was "
              + changedBytes
              + " over "
              + changedOver);
    }
    if (!(vcpuBusyShare > 0 && vcpuBusyShare <= 1)) {
      throw new IllegalArgumentException("vcpuBusyShare must be in (0, 1], was " + vcpuBusyShare);
    }
    if (deadline == null || deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, was " + deadline);
    }
  }

  /**
   * The measured inputs in words, to tell a misread input from the model when a plan and its move
   * disagree: "dirty 36.0 MiB/s, working set 126 MiB, non-zero RAM 132 MiB, vCPU busy 100.0 %, 25.5
   * s left".
   */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "dirty %.1f MiB/s, working set %s%s, non-zero RAM %d MiB, vCPU busy %.1f %%, %.1f s left",
        dirtyBytesPerSecond / 1048576.0,
        workingSetBytes < ramBytes ? (workingSetBytes >> 20) + " MiB" : "not measured",
        changedOver.isZero()
            ? ""
            : String.format(
                Locale.ROOT,
                ", changed %d MiB in %d s",
                changedBytes >> 20,
                changedOver.toSeconds()),
        nonZeroRamBytes >> 20,
        vcpuBusyShare * 100,
        deadline.toMillis() / 1000.0);
  }
}
