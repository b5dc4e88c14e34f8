package io.spotnest.migration;

/**
 * Where a standing copy's backup holds the copy's memory while it stands (and the VM's after a
 * flush).
 */
public enum StandbyMemory {
  /** Anonymous RAM of the backup's QEMU, as the source's domain has it (the default). */
  RAM,
  /**
   * A file under the backup's libvirt {@code memory_backing_dir} (libvirt's {@code <memoryBacking>
   * <source type='file'/><access mode='shared'/>}), so that the backup's page cache, not its RAM,
   * carries the copies: one backup can hold more standbys than its RAM would.
   */
  FILE
}
