package io.spotnest.migration;

import java.util.Optional;

/**
 * One reading of the CPU time a guest's vCPUs have used, and when it was taken.
 *
 * @param cpuNanos the vCPUs' CPU time, summed (libvirt's per-vCPU {@code cpuTime})
 * @param vcpus how many vCPUs it was summed over
 * @param atNanos when it was read, on a monotonic clock ({@link System#nanoTime()})
 */
record VcpuTime(long cpuNanos, int vcpus, long atNanos) {

  /** The share between two readings ({@link #busyShareSince}), 1 when either is missing. */
  static double busyShare(Optional<VcpuTime> before, Optional<VcpuTime> after) {
    if (before.isEmpty() || after.isEmpty()) {
      return 1;
    }
    return after.get().busyShareSince(before.get());
  }

  /**
   * The share of its vCPUs' time the guest kept them busy since {@code earlier}: the CPU time they
   * used over vCPUs × wall time, at most 1. A reading it cannot tell from (other vCPUs, no time
   * passed, no CPU time used, as when the hypervisor reports none) gives 1, the guest counted as
   * busy all the time (auto-converge's throttle then slows it in proportion, the planner's model
   * before the share was measured).
   */
  double busyShareSince(VcpuTime earlier) {
    long cpu = cpuNanos - earlier.cpuNanos;
    long wall = atNanos - earlier.atNanos;
    if (vcpus <= 0 || vcpus != earlier.vcpus || wall <= 0 || cpu <= 0) {
      return 1;
    }
    return Math.min(1, cpu / ((double) vcpus * wall));
  }
}
