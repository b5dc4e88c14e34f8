package io.spotnest.migration;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Move one agent VM from one host to another.
 *
 * @param vmName the agent VM (libvirt domain name)
 * @param source host it runs on now
 * @param destination host to move it to
 * @param linkBytesPerSecond measured bandwidth between the two hosts
 * @param deadline when the source may disappear (absolute, on the engine's clock); measuring the
 *     guest counts against it, and the migration is aborted when it passes
 * @param settings how to migrate
 * @param refuseInfeasible when the plan misses the deadline, refuse instead of trying
 * @param vmUuid the VM's libvirt UUID when the caller knows it: a domain of that name with another
 *     UUID is a different VM, which the engine refuses to move and never touches
 */
public record MigrationRequest(
    String vmName,
    String source,
    String destination,
    long linkBytesPerSecond,
    Instant deadline,
    MigrationSettings settings,
    boolean refuseInfeasible,
    Optional<UUID> vmUuid) {

  /** A request that identifies the VM by name alone (its UUID is read from the source). */
  public MigrationRequest(
      String vmName,
      String source,
      String destination,
      long linkBytesPerSecond,
      Instant deadline,
      MigrationSettings settings,
      boolean refuseInfeasible) {
    this(
        vmName,
        source,
        destination,
        linkBytesPerSecond,
        deadline,
        settings,
        refuseInfeasible,
        Optional.empty());
  }

  /** The same request for the VM with this UUID only. */
  public MigrationRequest withVmUuid(UUID uuid) {
    return new MigrationRequest(
        vmName,
        source,
        destination,
        linkBytesPerSecond,
        deadline,
        settings,
        refuseInfeasible,
        Optional.of(uuid));
  }

  /** The same request with another deadline (the engine's, less its safety margin). */
  MigrationRequest withDeadline(Instant d) {
    return new MigrationRequest(
        vmName, source, destination, linkBytesPerSecond, d, settings, refuseInfeasible, vmUuid);
  }

  /** The same request run with other settings (the engine's chosen tuning). */
  MigrationRequest withSettings(MigrationSettings s) {
    return new MigrationRequest(
        vmName, source, destination, linkBytesPerSecond, deadline, s, refuseInfeasible, vmUuid);
  }

  public MigrationRequest {
    if (vmName == null || !vmName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException(
          "vmName must be 1-63 letters, digits, '.', '_' or '-', was '" + vmName + "'");
    }
    if (source == null || destination == null) {
      throw new IllegalArgumentException("source and destination hosts must be given");
    }
    if (source.equals(destination)) {
      throw new IllegalArgumentException("destination must differ from source (" + source + ")");
    }
    if (linkBytesPerSecond <= 0) {
      throw new IllegalArgumentException(
          "linkBytesPerSecond must be positive (measure the link), was " + linkBytesPerSecond);
    }
    if (deadline == null) {
      throw new IllegalArgumentException("deadline must be given");
    }
    if (vmUuid == null) {
      throw new IllegalArgumentException("vmUuid must be given (Optional.empty() when unknown)");
    }
    if (settings == null) {
      throw new IllegalArgumentException("settings must be given");
    }
  }
}
