package io.spotnest.orchestrator.port;

import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.model.MemoryBacking;

/**
 * The orchestrator's seam to starting and removing agent VMs on a host. Both calls are idempotent.
 */
public interface AgentVms {

  /**
   * Defines and starts the agent's VM on the host (no-op if it already runs there).
   *
   * @param spec what the VM boots with (journaled; holds no secret)
   * @param secret the agent's secret for the VM's config disk only, or null when the spec names
   *     none; never to be logged or written anywhere else
   */
  void boot(String agentId, String hostId, AgentBootSpec spec, BootSecret secret);

  /**
   * Where the VMs this port boots keep their memory: {@link MemoryBacking#FILE} when it starts them
   * with their RAM in a (private) file, so that their standing copies may be held in files; the
   * orchestrator journals it with each boot. {@link MemoryBacking#RAM} unless said otherwise.
   */
  default MemoryBacking memory() {
    return MemoryBacking.RAM;
  }

  /**
   * Stops and removes the agent's VM from the host (no-op if absent, or if the host is gone). The
   * orchestrator calls it only off the tick ({@code tick.VmRemovals}' worker), so it may block on a
   * host that does not answer.
   *
   * @throws RuntimeException when the host does not answer or the removal fails (the VM may still
   *     run there): {@code VmRemovals} tries again after a pause until it works
   */
  void destroy(String agentId, String hostId);
}
