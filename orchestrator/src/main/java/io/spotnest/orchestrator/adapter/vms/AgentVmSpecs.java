package io.spotnest.orchestrator.adapter.vms;

import io.spotnest.migration.AgentVmSpec;

/** What VM to boot for an agent: image, kernel command line, NIC; the VM's name is the agent id. */
@FunctionalInterface
public interface AgentVmSpecs {

  AgentVmSpec spec(String agentId, long ramMiB);
}
