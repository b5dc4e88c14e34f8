package io.spotnest.jenkins;

import io.spotnest.migration.StandbyMemory;

/** How the cloud's {@code standbyMemory} drop-down names each {@link StandbyMemory}. */
final class StandbyMemoryChoices {
  private StandbyMemoryChoices() {}

  /** The label an administrator reads for {@code memory}. */
  static String displayName(StandbyMemory memory) {
    return switch (memory) {
      case RAM -> "In the backup host's RAM: each standby takes its agent's memory there (default)";
      case FILE ->
          "In files on the backup host's disk (libvirt memory_backing_dir): one backup holds more"
              + " standbys; agent VMs run with their RAM in a file";
    };
  }
}
