package io.spotnest.jenkins;

import io.spotnest.migration.StandbyMemory;
import java.util.Arrays;
import java.util.List;

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

  /**
   * Every choice's name, in declaration order, joined by {@code separator}, the last two by {@code
   * last}.
   */
  static String names(String separator, String last) {
    List<String> names = Arrays.stream(StandbyMemory.values()).map(Enum::name).toList();
    return String.join(separator, names.subList(0, names.size() - 1))
        + last
        + names.get(names.size() - 1);
  }
}
