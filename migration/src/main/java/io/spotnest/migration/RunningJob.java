package io.spotnest.migration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds a migration libvirt is running for a VM, by the VM's UUID, on a set of hosts (after a
 * controller restart).
 */
final class RunningJob {

  private RunningJob() {}

  /** The two ends of a migration found running in libvirt. */
  record Ends(HypervisorEndpoint source, HypervisorEndpoint destination) {}

  /**
   * The source (the host whose copy of the VM with this UUID runs the outgoing job) and the
   * destination (another host holding a copy of it), or a refusal saying what was found.
   */
  static Ends find(
      Collection<HypervisorEndpoint> hosts, HypervisorFactory factory, String vm, UUID uuid) {
    HypervisorEndpoint source = null;
    HypervisorEndpoint destination = null;
    List<String> unreachable = new ArrayList<>();
    for (HypervisorEndpoint h : hosts) {
      Hypervisor hv;
      try {
        hv = factory.connect(h);
      } catch (MigrationException e) {
        unreachable.add(h.name());
        continue;
      }
      try (hv) {
        VmStatus status = hv.status(vm);
        if (!status.present() || !Optional.of(uuid).equals(hv.uuid(vm))) {
          continue;
        }
        if (outgoing(hv, vm, status)) {
          source = h;
        } else {
          destination = h;
        }
      } catch (MigrationException e) {
        unreachable.add(h.name() + " (" + e.getMessage() + ")");
      }
    }
    String notReached =
        unreachable.isEmpty() ? "" : " (not reachable: " + String.join(", ", unreachable) + ")";
    if (source == null) {
      throw new MigrationException(
          FailureKind.INVALID_REQUEST,
          "no migration of "
              + vm
              + " ("
              + uuid
              + ") is in progress on a reachable host"
              + notReached
              + "; reconcile it with MigrationRecovery instead");
    }
    if (destination == null) {
      throw new MigrationException(
          FailureKind.HOST_FAILED,
          "the migration of "
              + vm
              + " from "
              + source.name()
              + " has no incoming copy on a reachable host"
              + notReached
              + "; reconcile it once its hosts answer");
    }
    return new Ends(source, destination);
  }

  /**
   * Whether this copy runs the outgoing job: libvirt's job operation says so, or (when it reports
   * none) a job on a copy that is not an incoming one (paused for migration). A copy whose
   * statistics cannot be read is not the source: libvirt refuses them on an incoming migration's
   * destination ("available only on the source host").
   */
  private static boolean outgoing(Hypervisor hv, String vm, VmStatus status) {
    JobStats job;
    try {
      job = hv.jobStats(vm);
    } catch (MigrationException e) {
      return false;
    }
    return job.active()
        && (job.operation() == JobStats.OPERATION_MIGRATION_OUT
            || (job.operation() == 0
                && !(status.state() == VmState.PAUSED
                    && status.reason() == VmStatus.Reason.MIGRATION)));
  }
}
