package io.spotnest.migration;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The seam to one host's hypervisor: everything the migration engine does on a host goes through
 * here, so its decisions can be tested against a fake and the libvirt side is proven by the lab
 * tests. Host failures surface as {@link MigrationException} of kind {@link
 * FailureKind#HOST_FAILED}, other refusals as {@link FailureKind#HYPERVISOR_ERROR}.
 */
public interface Hypervisor extends AutoCloseable {

  HypervisorEndpoint endpoint();

  /**
   * Creates the VM's workspace overlay and starts it; fails if a VM of that name exists on the
   * host.
   */
  void start(AgentVmSpec vm);

  /**
   * Like {@link #start(AgentVmSpec)}, with the VM's config disk: a raw volume {@link
   * ConfigDisk#volumeName} in the host's pool (a stale one is replaced) attached read-only as
   * {@link ConfigDisk#TARGET}.
   */
  void start(AgentVmSpec vm, ConfigDisk config);

  /** The VM's state and libvirt's reason for it. */
  VmStatus status(String vmName);

  /** The libvirt UUID of the VM of that name, empty when the host has none. */
  Optional<UUID> uuid(String vmName);

  default VmState state(String vmName) {
    return status(vmName).state();
  }

  /** Memory of each VM active on this host, by name. */
  Map<String, Long> activeVmMemoryMib();

  /** Memory of the VMs active on this host. */
  default long usedMemoryMib() {
    return activeVmMemoryMib().values().stream().mapToLong(Long::longValue).sum();
  }

  /** Free memory the host's kernel reports, in bytes. */
  long freeMemoryBytes();

  /** Free space of the host's storage pool (where overlays are created), in bytes. */
  long freeDiskBytes();

  /**
   * Stops and undefines the VM and deletes its overlay and config volume; does nothing if it is
   * absent.
   */
  void remove(String vmName);

  /** Resumes a paused VM. */
  void resume(String vmName);

  /** The VM's configured memory in bytes. */
  long memoryBytes(String vmName);

  /** The VM's workspace overlay, empty when it has none with a backing image. */
  Optional<WorkspaceDisk> workspaceDisk(String vmName);

  /**
   * How fast the running VM dirties its memory, in bytes per second, measured over {@code window}.
   */
  long dirtyBytesPerSecond(String vmName, Duration window);

  /**
   * The dirty rate over {@code window} with the working set when the measurement shows one; a
   * hypervisor that cannot tell the working set reports none (all of RAM may be rewritten).
   */
  default DirtyRate dirtyRate(String vmName, Duration window) {
    return DirtyRate.of(dirtyBytesPerSecond(vmName, window));
  }

  /**
   * As {@link #dirtyRate(String, Duration)} for a move over a link of {@code linkBytesPerSecond}: a
   * hypervisor whose measurement is noisy may measure longer where the plan depends on it, for at
   * most {@code longest} in all.
   */
  default DirtyRate dirtyRate(
      String vmName, Duration window, long linkBytesPerSecond, Duration longest) {
    return dirtyRate(vmName, window);
  }

  /**
   * The non-zero pages ({@link #nonZeroMemoryBytes}) and the dirty rate ({@link #dirtyRate(String,
   * Duration, long, Duration)}, for at most {@code longest}) of the running VM, with the share of
   * its vCPUs' time it kept them busy meanwhile ({@link #vcpuTime}), for a plan. A hypervisor whose
   * dirty-rate calculation runs on its own samples the pages while it runs; by default the sample
   * comes first.
   */
  default GuestMeasurement measureGuest(
      String vmName, Duration window, long linkBytesPerSecond, Duration longest) {
    long nonZero = nonZeroMemoryBytes(vmName);
    Optional<VcpuTime> before = vcpuTime(vmName);
    DirtyRate rate = dirtyRate(vmName, window, linkBytesPerSecond, longest);
    return new GuestMeasurement(nonZero, rate, VcpuTime.busyShare(before, vcpuTime(vmName)));
  }

  /**
   * The CPU time the running VM's vCPUs have used so far, read now: over a measurement, the share
   * of its vCPUs' time the guest keeps them busy ({@link GuestMeasurement#vcpuBusyShare}). Empty
   * when the hypervisor cannot tell (the default; the guest then counts as busy all the time).
   */
  default Optional<VcpuTime> vcpuTime(String vmName) {
    return Optional.empty();
  }

  /**
   * Bytes of the running VM's RAM that hold non-zero pages (estimated from a sample of its pages):
   * what a migration's first pass sends in full, the rest going as zero-page records. A hypervisor
   * that cannot look counts all of its RAM (the side that never makes a plan optimistic).
   */
  default long nonZeroMemoryBytes(String vmName) {
    return memoryBytes(vmName);
  }

  /**
   * Creates a qcow2 overlay volume over {@code backingPath} in the host's pool and returns its
   * path.
   */
  String createOverlay(String volumeName, long capacityBytes, String backingPath);

  boolean volumeExists(String volumeName);

  /**
   * Creates a raw volume in the host's pool holding exactly {@code content}, file mode 0600 (the
   * bytes travel over libvirt's stream, never on a command line or through another file); returns
   * its path. Fails if the volume exists.
   */
  String createRawVolume(String volumeName, byte[] content);

  /** The bytes of a volume of the host's pool. */
  byte[] readVolume(String volumeName);

  /**
   * The pool volume behind the VM's read-only config disk ({@link ConfigDisk#TARGET}), empty when
   * the VM has none.
   */
  Optional<String> configVolume(String vmName);

  /** Deletes a volume of the host's pool if it exists. */
  void deleteVolume(String volumeName);

  /** Longest pause the running migration of the VM may cause at switch-over. */
  void setMaxDowntime(String vmName, Duration downtime);

  /**
   * Migrates the VM peer to peer to {@code destination}; blocks until libvirt's call returns.
   * Implementations use a connection of their own for the call, so other calls on this hypervisor
   * may run meanwhile.
   */
  void migrate(String vmName, HypervisorEndpoint destination, MigrationSettings settings);

  /**
   * Like {@link #migrate(String, HypervisorEndpoint, MigrationSettings)}, with the domain XML the
   * destination defines and runs the VM with (libvirt's VIR_MIGRATE_PARAM_DEST_XML), or, when
   * {@code destinationXml} is null, the source's own. A hypervisor that cannot pass one refuses the
   * call (the default).
   */
  default void migrate(
      String vmName,
      HypervisorEndpoint destination,
      MigrationSettings settings,
      String destinationXml) {
    if (destinationXml != null) {
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR,
          "host " + endpoint().name() + " cannot migrate with a destination XML");
    }
    migrate(vmName, destination, settings);
  }

  /**
   * The running VM's domain XML as a migration carries it (libvirt's VIR_DOMAIN_XML_MIGRATABLE):
   * what a destination XML is made from. A hypervisor that cannot tell refuses (the default).
   */
  default String migratableXml(String vmName) {
    throw new MigrationException(
        FailureKind.HYPERVISOR_ERROR,
        "host " + endpoint().name() + " cannot describe " + vmName + " for a migration");
  }

  /**
   * Re-sets the bandwidth of the VM's running migration (libvirt's migrateSetMaxSpeed), in MiB/s.
   */
  void setMaxSpeed(String vmName, long mibPerSecond);

  /** Statistics of the VM's current job ({@link JobStats#active()} false when there is none). */
  JobStats jobStats(String vmName);

  /** Statistics of the VM's last completed job (empty fields when libvirt kept none). */
  JobStats completedJobStats(String vmName);

  /** Aborts the VM's current job; does nothing when there is none. */
  void abortJob(String vmName);

  /** Switches the VM's running migration to post-copy. */
  void startPostCopy(String vmName);

  /**
   * Resumes the VM's failed post-copy migration to {@code destination} (VIR_MIGRATE_POSTCOPY_RESUME
   * with the flags of {@link #migrate}); blocks until libvirt's call returns, like {@link
   * #migrate}. A hypervisor without post-copy recovery refuses it (the default): the VM then stays
   * split between the hosts, as before recovery existed.
   */
  default void resumePostCopy(
      String vmName, HypervisorEndpoint destination, MigrationSettings settings) {
    throw new MigrationException(
        FailureKind.HYPERVISOR_ERROR,
        "host " + endpoint().name() + " cannot resume a post-copy (no post-copy recovery)");
  }

  @Override
  void close();
}
