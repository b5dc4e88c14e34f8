package io.spotnest.orchestrator.adapter.vms;

import io.spotnest.migration.AgentVmSpec;
import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.model.MemoryBacking;

/** What VM to boot for an agent: image, kernel command line, NIC; the VM's name is the agent id. */
@FunctionalInterface
public interface AgentVmSpecs {

  AgentVmSpec spec(String agentId, long ramMiB);

  /**
   * The VM for an agent's whole boot spec (image, vCPUs, memory, disk); by default only its memory
   * counts (the lab's test guest).
   */
  default AgentVmSpec spec(String agentId, AgentBootSpec boot) {
    return spec(agentId, boot.ramMiB());
  }

  /**
   * Where the VMs of these specs keep their memory: {@link MemoryBacking#FILE} exactly when every
   * spec has {@link AgentVmSpec#fileMemory()}; RAM by default.
   */
  default MemoryBacking memory() {
    return MemoryBacking.RAM;
  }
}
