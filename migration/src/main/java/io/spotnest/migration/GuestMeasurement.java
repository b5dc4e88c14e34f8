package io.spotnest.migration;

/**
 * What a plan measures of a running guest before its move.
 *
 * @param nonZeroBytes the part of its RAM holding non-zero pages ({@link
 *     Hypervisor#nonZeroMemoryBytes})
 * @param dirtyRate how fast it dirties its memory, and over how much ({@link Hypervisor#dirtyRate})
 * @param vcpuBusyShare the share of its vCPUs' time it kept them busy while the dirty rate was
 *     measured ({@link VcpuTime#busyShareSince}), in (0, 1]; 1 when not known
 */
record GuestMeasurement(long nonZeroBytes, DirtyRate dirtyRate, double vcpuBusyShare) {

  /** A measurement without the vCPUs' share: the guest counts as busy all the time. */
  GuestMeasurement(long nonZeroBytes, DirtyRate dirtyRate) {
    this(nonZeroBytes, dirtyRate, 1);
  }

  GuestMeasurement {
    if (nonZeroBytes < 0 || dirtyRate == null || !(vcpuBusyShare > 0 && vcpuBusyShare <= 1)) {
      throw new IllegalArgumentException(
          "nonZeroBytes must be zero or positive, dirtyRate given and vcpuBusyShare in (0, 1], was "
              + nonZeroBytes
              + ", "
              + dirtyRate
              + ", "
              + vcpuBusyShare);
    }
  }
}
