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
 */
public record StandingCopyRequest(
    String vmName,
    String source,
    String backup,
    long linkBytesPerSecond,
    MigrationSettings settings) {

  public StandingCopyRequest {
    if (settings == null) {
      throw new IllegalArgumentException("settings must be given");
    }
  }
}
