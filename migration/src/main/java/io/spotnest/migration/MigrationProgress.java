package io.spotnest.migration;

import java.time.Duration;

/**
 * One sample of a running migration, read from libvirt's job statistics.
 *
 * @param elapsed time since the migration started
 * @param memoryProcessed memory bytes sent so far
 * @param memoryRemaining memory bytes still to send in this pass
 * @param diskProcessed disk bytes copied so far
 * @param diskRemaining disk bytes still to copy
 * @param dirtyBytesPerSecond the guest's current dirty rate as QEMU sees it
 * @param iteration memory pass number (1 = first full pass)
 * @param postCopy whether the migration has switched to post-copy
 */
public record MigrationProgress(
    Duration elapsed,
    long memoryProcessed,
    long memoryRemaining,
    long diskProcessed,
    long diskRemaining,
    long dirtyBytesPerSecond,
    long iteration,
    boolean postCopy) {

  @Override
  public String toString() {
    return String.format(
        "%6.1f s  memory %d MiB sent, %d MiB left, pass %d, dirty %d MiB/s, disk %d/%d MiB%s",
        elapsed.toMillis() / 1000.0,
        memoryProcessed >> 20,
        memoryRemaining >> 20,
        iteration,
        dirtyBytesPerSecond >> 20,
        diskProcessed >> 20,
        (diskProcessed + diskRemaining) >> 20,
        postCopy ? "  [post-copy]" : "");
  }
}
