package io.spotnest.orchestrator.port;

import io.spotnest.orchestrator.model.AgentBootSpec;

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

  /** Stops and removes the agent's VM from the host (no-op if absent). */
  void destroy(String agentId, String hostId);
}
