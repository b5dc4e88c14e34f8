package io.spotnest.orchestrator.port;

/**
 * The orchestrator's seam to starting and removing agent VMs on a host. Both calls are idempotent.
 */
public interface AgentVms {

  /** Defines and starts the agent's VM on the host (no-op if it already runs there). */
  void boot(String agentId, String hostId, long ramMiB);

  /** Stops and removes the agent's VM from the host (no-op if absent). */
  void destroy(String agentId, String hostId);
}
