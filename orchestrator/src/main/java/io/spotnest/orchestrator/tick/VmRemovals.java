package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.port.AgentVms;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Removes the VMs of agents whose end is journaled (retired, cancelled or lost). A removal that
 * fails ({@link AgentVms#destroy} throws) is kept and tried again at every tick until it works, so
 * the VM does not run on until the next restart. The libvirt adapter reads a host that does not
 * answer as nothing to remove (a retry there would hold the tick for libvirt's connect), so such a
 * VM is not retried. Kept in memory only: a restart's reconciliation finds such a VM on the hosts
 * and removes it.
 */
public final class VmRemovals {
  private static final System.Logger LOG = System.getLogger(VmRemovals.class.getName());
  private final AgentVms vms;
  private final Map<String, String> pending = new LinkedHashMap<>();

  public VmRemovals(AgentVms vms) {
    this.vms = vms;
  }

  /** Removes the agent's VM from {@code hostId}, or keeps the removal for the next tick. */
  public void remove(String agentId, String hostId) {
    pending.put(agentId, hostId);
    attempt(agentId, hostId);
  }

  /** Tries again each removal that failed; returns how many still wait. */
  public int retry() {
    new LinkedHashMap<>(pending).forEach(this::attempt);
    return pending.size();
  }

  private void attempt(String agentId, String hostId) {
    try {
      vms.destroy(agentId, hostId);
      pending.remove(agentId);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "cannot remove the VM of gone agent " + agentId + " from " + hostId + "; next tick again",
          e);
    }
  }
}
