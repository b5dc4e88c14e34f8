package io.spotnest.orchestrator.model;

/**
 * Where an agent VM's memory lives on the host it runs on, as far as the orchestrator knows it from
 * its journal (issue 12 item 6: file-backed standbys). Unknown (an older journal, an adopted VM)
 * reads as {@link #RAM}, which never lets a copy count for less than its full memory.
 */
public enum MemoryBacking {
  /** Anonymous RAM: its standing copy's standby takes as much RAM on the backup. */
  RAM,
  /**
   * A private mapping of a file under the host's libvirt {@code memory_backing_dir} (booted so with
   * the fleet's standby memory {@code FILE}): it behaves as RAM on its host and its file stays
   * sparse, but it may have a file-backed standby (libvirt keeps a migration's memory source).
   */
  FILE,
  /**
   * A shared mapping of such a file, as a file-backed standby has it and keeps after its flush (and
   * on later moves): its pages are in the page cache and its file, as large as its memory, takes
   * that much disk on the host it runs on.
   */
  SHARED_FILE;

  /** Whether a standby of such a VM can be held in a file on its backup. */
  public boolean inFile() {
    return this != RAM;
  }
}
