package io.spotnest.migration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts an agent VM back in one piece after the controller lost track of it (a restart during a migration): looks
 * at every host, keeps the one copy that runs, and removes the rest. A copy that is paused with no other copy
 * running, and no migration job in progress, is resumed.
 */
public final class MigrationRecovery {

  /** What reconciliation found and did. */
  public record Result(String vmName, Optional<String> runningOn, boolean migrationInFlight, List<String> actions) {}

  private final List<HypervisorEndpoint> hosts;
  private final HypervisorFactory factory;

  public MigrationRecovery(List<HypervisorEndpoint> hosts) {
    this(hosts, HypervisorFactory.LIBVIRT);
  }

  public MigrationRecovery(List<HypervisorEndpoint> hosts, HypervisorFactory factory) {
    this.hosts = List.copyOf(hosts);
    this.factory = factory;
  }

  public Result reconcile(String vmName) {
    Map<HypervisorEndpoint, VmState> states = new LinkedHashMap<>();
    List<String> actions = new ArrayList<>();
    for (HypervisorEndpoint h : hosts) {
      try (Hypervisor hv = factory.connect(h)) {
        states.put(h, hv.state(vmName));
        if (states.get(h) != VmState.ABSENT && hv.jobStats(vmName).active()) {
          // libvirt is still moving it: the outcome belongs to that job, not to us
          return new Result(vmName, Optional.empty(), true, List.of("migration still in progress from " + h.name()));
        }
      } catch (MigrationException e) {
        actions.add("host " + h.name() + " unreachable: " + e.getMessage());
      }
    }
    List<HypervisorEndpoint> running = states.entrySet().stream().filter(e -> e.getValue() == VmState.RUNNING)
        .map(Map.Entry::getKey).toList();
    HypervisorEndpoint keep;
    if (!running.isEmpty()) {
      keep = running.get(0);
      if (running.size() > 1) {
        throw new MigrationException(FailureKind.HYPERVISOR_ERROR, vmName + " runs on " + running.size()
            + " hosts at once (" + running.stream().map(HypervisorEndpoint::name).toList()
            + "); refusing to choose: stop all but the one the build's agent is connected to");
      }
    } else {
      keep = states.entrySet().stream().filter(e -> e.getValue() == VmState.PAUSED).map(Map.Entry::getKey)
          .findFirst().orElse(null);
      if (keep != null) {
        try (Hypervisor hv = factory.connect(keep)) {
          hv.resume(vmName);
          actions.add("resumed the paused copy on " + keep.name());
        } catch (MigrationException e) {
          throw new MigrationException(FailureKind.HYPERVISOR_ERROR,
              "cannot resume " + vmName + " on " + keep.name() + ": " + e.getMessage(), e);
        }
      }
    }
    for (Map.Entry<HypervisorEndpoint, VmState> e : states.entrySet()) {
      if (e.getKey() != keep && e.getValue() != VmState.ABSENT) {
        try (Hypervisor hv = factory.connect(e.getKey())) {
          hv.remove(vmName);
          actions.add("removed the " + e.getValue() + " leftover on " + e.getKey().name());
        }
      }
    }
    return new Result(vmName, Optional.ofNullable(keep).map(HypervisorEndpoint::name), false, actions);
  }
}
