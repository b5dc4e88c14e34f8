package io.spotnest.migration;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Prepares the destination's disks for the incremental disk copy: an empty overlay over the same
 * base image, and a copy of the VM's read-only config disk (libvirt copies only writable disks, and
 * the destination's QEMU opens the config disk at the same path), verified by its SHA-256.
 */
final class DestinationDisk {

  private DestinationDisk() {}

  /**
   * Creates the overlay on {@code dst} and copies the config volume; stale ones (from an earlier
   * failed attempt, which no VM of that name uses: the caller holds the VM's exclusion and checked
   * the destination has no such VM) are replaced. What this made stays for the caller's recovery to
   * remove with the destination's copy.
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
    src.configVolume(vm).ifPresent(config -> copy(src, dst, config));
  }

  private static void copy(Hypervisor src, Hypervisor dst, String volume) {
    byte[] content = src.readVolume(volume);
    if (dst.volumeExists(volume)) {
      dst.deleteVolume(volume);
    }
    dst.createRawVolume(volume, content);
    if (!MessageDigest.isEqual(sha256(content), sha256(dst.readVolume(volume)))) {
      dst.deleteVolume(volume);
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR,
          "the config volume "
              + volume
              + " differs on "
              + dst.endpoint().name()
              + " after the copy (SHA-256)");
    }
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }
}
