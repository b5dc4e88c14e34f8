package io.spotnest.migration;

/**
 * Keep a standing copy of one agent VM on a backup host.
 *
 * @param vmName the agent VM
 * @param source host it runs on
 * @param backup host that holds the copy (and runs the VM after a flush)
 * @param linkBytesPerSecond measured bandwidth between the two hosts (the stream holds a share of
 *     it while it stands)
 * @param settings the caller's settings: bandwidth cap, overlay mirroring ({@code copyStorage}),
 *     the pause accepted at a flush at least ({@code maxDowntime}) and whether a flush may switch
 *     to post-copy ({@code postCopy}); auto-converge is never used while standing
 * @param standbyMemory where the backup holds the copy's memory: {@link StandbyMemory#FILE} sends
 *     the backup a domain XML with file-backed, shared memory (libvirt's destination XML); {@link
 *     StandbyMemory#RAM} sends the source's own definition
 */
public record StandingCopyRequest(
    String vmName,
    String source,
    String backup,
    long linkBytesPerSecond,
    MigrationSettings settings,
    StandbyMemory standbyMemory) {

  public StandingCopyRequest {
    if (settings == null) {
      throw new IllegalArgumentException("settings must be given");
    }
    if (standbyMemory == null) {
      throw new IllegalArgumentException("standbyMemory must be given");
    }
  }

  /** A copy whose memory the backup holds in RAM ({@link StandbyMemory#RAM}). */
  public StandingCopyRequest(
      String vmName,
      String source,
      String backup,
      long linkBytesPerSecond,
      MigrationSettings settings) {
    this(vmName, source, backup, linkBytesPerSecond, settings, StandbyMemory.RAM);
  }

  /** The same request with the backup holding the copy's memory as {@code memory} says. */
  public StandingCopyRequest withStandbyMemory(StandbyMemory memory) {
    return new StandingCopyRequest(vmName, source, backup, linkBytesPerSecond, settings, memory);
  }
}
