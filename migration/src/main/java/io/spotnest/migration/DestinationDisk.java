package io.spotnest.migration;

/**
 * Creates the destination's empty overlay over the same base image, for the incremental disk copy.
 */
final class DestinationDisk {

  private DestinationDisk() {}

  /**
   * Creates the overlay on {@code dst}; a stale one (from an earlier failed attempt, which no VM of
   * that name uses: the caller holds the VM's exclusion and checked the destination has no such VM)
   * is replaced.
   */
  static void prepare(Hypervisor src, Hypervisor dst, String vm) {
    WorkspaceDisk disk =
        src.workspaceDisk(vm)
            .orElseThrow(
                () ->
                    new MigrationException(
                        FailureKind.INVALID_REQUEST,
                        vm
                            + " has no qcow2 overlay with a backing image; cannot copy it incrementally"));
    String volume = vm + ".qcow2";
    if (dst.volumeExists(volume)) {
      dst.deleteVolume(volume);
    }
    dst.createOverlay(volume, disk.capacityBytes(), disk.backingPath());
  }
}
