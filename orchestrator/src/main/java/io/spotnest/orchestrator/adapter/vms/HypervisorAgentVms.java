package io.spotnest.orchestrator.adapter.vms;

import io.spotnest.migration.AgentVmSpec;
import io.spotnest.migration.ConfigDisk;
import io.spotnest.migration.Hypervisor;
import io.spotnest.migration.HypervisorEndpoint;
import io.spotnest.migration.HypervisorFactory;
import io.spotnest.migration.MigrationException;
import io.spotnest.migration.VmState;
import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.port.AgentVms;
import io.spotnest.orchestrator.port.BootSecret;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@link AgentVms} port over the migration module's {@link Hypervisor} seam: boot defines and
 * starts the agent's VM (named after the agent) from {@link AgentVmSpecs}; both calls are
 * idempotent.
 *
 * <p>The whole boot spec goes to {@link AgentVmSpecs#spec(String, AgentBootSpec)}: the lab's test
 * guest takes its memory, {@link AgentImageSpecs} also its image, vCPUs and disk. An agent that has
 * a secret also gets its config disk ({@link AgentConfigDisk#files}: controller URL, agent name and
 * the secret), attached read-only as the VM's second virtio disk ({@link ConfigDisk}); a boot spec
 * the image would refuse is refused before any host is asked. The secret is handed to nothing else
 * and never logged.
 */
public final class HypervisorAgentVms implements AgentVms {
  private static final System.Logger LOG = System.getLogger(HypervisorAgentVms.class.getName());
  private final Function<String, Optional<HypervisorEndpoint>> endpoints;
  private final HypervisorFactory factory;
  private final AgentVmSpecs specs;

  /**
   * @param endpoints a host's libvirt endpoint by host id (empty when the host is not ours or gone)
   */
  public HypervisorAgentVms(
      Function<String, Optional<HypervisorEndpoint>> endpoints,
      HypervisorFactory factory,
      AgentVmSpecs specs) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.specs = Objects.requireNonNull(specs, "specs");
  }

  /**
   * Starts the VM unless it runs (or is paused) there already; a stopped leftover of it is
   * replaced.
   */
  @Override
  public void boot(String agentId, String hostId, AgentBootSpec boot, BootSecret secret) {
    ConfigDisk config = secret == null ? null : new ConfigDisk(AgentConfigDisk.files(boot, secret));
    HypervisorEndpoint ep =
        endpoints
            .apply(hostId)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "boot " + agentId + ": host " + hostId + " is not known"));
    try (Hypervisor hv = factory.connect(ep)) {
      VmState s = hv.state(agentId);
      if (s == VmState.RUNNING || s == VmState.PAUSED) {
        return;
      }
      if (s != VmState.ABSENT) {
        hv.remove(agentId);
      }
      AgentVmSpec spec = specs.spec(agentId, boot);
      if (!spec.name().equals(agentId)) {
        throw new IllegalArgumentException(
            "the VM of agent " + agentId + " must carry its name, got " + spec.name());
      }
      if (config == null) {
        hv.start(spec);
      } else {
        hv.start(spec, config);
      }
    }
  }

  /** Where the VMs of its specs keep their memory ({@link AgentVmSpecs#memory}). */
  @Override
  public io.spotnest.orchestrator.model.MemoryBacking memory() {
    return specs.memory();
  }

  /**
   * Removes the VM; a host that is gone (no endpoint: the provider no longer lists it live) has
   * nothing left to remove (logged). A host that does not answer may still run it (a network blip):
   * that fails, so the caller ({@code VmRemovals}' worker, off the tick) tries again. It may block
   * for as long as libvirt's connect takes to fail.
   *
   * @throws IllegalStateException naming the agent and host when the host does not answer or
   *     refuses the removal
   */
  @Override
  public void destroy(String agentId, String hostId) {
    Optional<HypervisorEndpoint> ep = endpoints.apply(hostId);
    if (ep.isEmpty()) {
      LOG.log(Level.INFO, "destroy " + agentId + ": host " + hostId + " is gone");
      return;
    }
    try (Hypervisor hv = factory.connect(ep.get())) {
      hv.remove(agentId);
    } catch (MigrationException e) {
      throw new IllegalStateException(
          "cannot remove the VM of " + agentId + " from " + hostId + ": " + e.getMessage(), e);
    }
  }
}
