package io.spotnest.orchestrator.testing;

import io.spotnest.migration.AgentVmSpec;
import io.spotnest.migration.ConfigDisk;
import io.spotnest.migration.FailureKind;
import io.spotnest.migration.Hypervisor;
import io.spotnest.migration.HypervisorEndpoint;
import io.spotnest.migration.HypervisorFactory;
import io.spotnest.migration.JobStats;
import io.spotnest.migration.MigrationException;
import io.spotnest.migration.MigrationSettings;
import io.spotnest.migration.VmState;
import io.spotnest.migration.VmStatus;
import io.spotnest.migration.WorkspaceDisk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hosts at the migration module's {@link Hypervisor} seam, holding VMs by name and state: enough
 * for inventory (locate, recovery, boot, remove). Anything a real migration would need throws, so
 * the engine refuses it.
 */
public final class StubHypervisors implements HypervisorFactory {
  public final Map<String, Map<String, VmState>> vms = new LinkedHashMap<>();
  public final Set<String> unreachable = new HashSet<>();
  public final List<String> calls = new ArrayList<>();
  public final Map<String, AgentVmSpec> started = new ConcurrentHashMap<>();

  /** The config disk each VM was started with, by VM. */
  public final Map<String, ConfigDisk> configs = new ConcurrentHashMap<>();

  /** Outgoing migration jobs libvirt runs, as vm@host (what a killed controller left running). */
  public final Set<String> jobs = ConcurrentHashMap.newKeySet();

  /** VMs whose RAM is a file (started so, or put here); any other VM's RAM is anonymous. */
  public final Set<String> fileMemory = ConcurrentHashMap.newKeySet();

  /** Connections opened, by host (reachable or not). */
  public final Map<String, Integer> connections = new ConcurrentHashMap<>();

  public StubHypervisors(String... hosts) {
    for (String h : hosts) {
      vms.put(h, new ConcurrentHashMap<>());
    }
  }

  public List<HypervisorEndpoint> endpoints() {
    return vms.keySet().stream().map(StubHypervisors::endpoint).toList();
  }

  public static HypervisorEndpoint endpoint(String h) {
    return new HypervisorEndpoint(
        h, "qemu+tls://" + h + "/system", "qemu+tls://" + h + "/system", 1024);
  }

  @Override
  public Hypervisor connect(HypervisorEndpoint ep) {
    connections.merge(ep.name(), 1, Integer::sum);
    if (unreachable.contains(ep.name())) {
      throw new MigrationException(FailureKind.HOST_FAILED, ep.name() + " unreachable");
    }
    Map<String, VmState> on = vms.get(ep.name());
    return new Hypervisor() {
      @Override
      public HypervisorEndpoint endpoint() {
        return ep;
      }

      @Override
      public void start(AgentVmSpec vm) {
        if (on.containsKey(vm.name())) {
          throw new MigrationException(
              FailureKind.INVALID_REQUEST, vm.name() + " exists on " + ep.name());
        }
        calls.add("start " + vm.name() + " on " + ep.name());
        started.put(vm.name(), vm);
        if (vm.fileMemory()) {
          fileMemory.add(vm.name());
        }
        on.put(vm.name(), VmState.RUNNING);
      }

      @Override
      public void start(AgentVmSpec vm, ConfigDisk config) {
        start(vm);
        configs.put(vm.name(), config);
      }

      @Override
      public String createRawVolume(String volumeName, byte[] content) {
        throw new UnsupportedOperationException();
      }

      @Override
      public byte[] readVolume(String volumeName) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Optional<String> configVolume(String vmName) {
        throw new UnsupportedOperationException();
      }

      /** A bare domain of the VM, with file-backed memory when its RAM is a file. */
      @Override
      public String migratableXml(String vmName) {
        if (!on.containsKey(vmName)) {
          throw new MigrationException(
              FailureKind.INVALID_REQUEST, vmName + " is not on " + ep.name());
        }
        calls.add("migratableXml " + vmName + " on " + ep.name());
        return "<domain type='qemu'><name>"
            + vmName
            + "</name><memory unit='MiB'>1024</memory>"
            + (fileMemory.contains(vmName)
                ? "<memoryBacking><source type='file'/></memoryBacking>"
                : "")
            + "</domain>";
      }

      @Override
      public VmStatus status(String vmName) {
        return VmStatus.of(on.getOrDefault(vmName, VmState.ABSENT));
      }

      @Override
      public Optional<UUID> uuid(String vmName) {
        return on.containsKey(vmName)
            ? Optional.of(UUID.nameUUIDFromBytes(vmName.getBytes()))
            : Optional.empty();
      }

      @Override
      public Map<String, Long> activeVmMemoryMib() {
        throw new UnsupportedOperationException();
      }

      @Override
      public long freeMemoryBytes() {
        throw new UnsupportedOperationException();
      }

      @Override
      public void remove(String vmName) {
        if (on.remove(vmName) != null) {
          calls.add("remove " + vmName + " on " + ep.name());
        }
      }

      @Override
      public void resume(String vmName) {
        calls.add("resume " + vmName + " on " + ep.name());
        on.put(vmName, VmState.RUNNING);
      }

      @Override
      public long memoryBytes(String vmName) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Optional<WorkspaceDisk> workspaceDisk(String vmName) {
        throw new UnsupportedOperationException();
      }

      @Override
      public long dirtyBytesPerSecond(String vmName, Duration window) {
        throw new UnsupportedOperationException();
      }

      @Override
      public String createOverlay(String volumeName, long capacityBytes, String backingPath) {
        throw new UnsupportedOperationException();
      }

      @Override
      public boolean volumeExists(String volumeName) {
        return false; // this stub creates no overlays (createOverlay is unsupported), so none
        // exists
      }

      @Override
      public void deleteVolume(String volumeName) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void setMaxDowntime(String vmName, Duration downtime) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void migrate(
          String vmName, HypervisorEndpoint destination, MigrationSettings settings) {
        throw new UnsupportedOperationException();
      }

      @Override
      public JobStats jobStats(String vmName) {
        return jobs.contains(vmName + "@" + ep.name())
            ? new JobStats(2, Map.of("time_elapsed", "1000", "operation", "5"))
            : JobStats.none();
      }

      @Override
      public JobStats completedJobStats(String vmName) {
        return JobStats.none();
      }

      @Override
      public void abortJob(String vmName) {
        calls.add("abortJob " + vmName + " on " + ep.name());
        jobs.remove(vmName + "@" + ep.name());
      }

      @Override
      public void startPostCopy(String vmName) {
        throw new UnsupportedOperationException();
      }

      @Override
      public long freeDiskBytes() {
        return 1L << 40;
      }

      @Override
      public void setMaxSpeed(String vmName, long mibPerSecond) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void close() {}
    };
  }
}
