package io.spotnest.cli;

/**
 * The nesting bench's build steps, as commands of the same busybox binary on the host and in the
 * test guest (its initramfs carries the host's {@code /bin/busybox}): a CPU-bound step (SHA-256
 * over {@code cpuMib} MiB) and an I/O-bound step ({@code ioMib} MiB written with O_DIRECT and
 * fsync, then read back with O_DIRECT).
 */
record NestingSteps(int cpuMib, int ioMib) {
  NestingSteps {
    if (cpuMib < 1 || ioMib < 1) {
      throw new IllegalArgumentException("cpuMib and ioMib must be positive");
    }
  }

  String cpu() {
    return "busybox dd if=/dev/zero bs=1M count="
        + cpuMib
        + " 2>/dev/null | busybox sha256sum >/dev/null";
  }

  /** Writes then reads {@code target} (a block device in the VM, a file on the host). */
  String io(String target) {
    return "busybox dd if=/dev/zero of="
        + target
        + " bs=1M count="
        + ioMib
        + " oflag=direct conv=fsync 2>/dev/null && busybox dd if="
        + target
        + " of=/dev/null bs=1M count="
        + ioMib
        + " iflag=direct 2>/dev/null";
  }
}
