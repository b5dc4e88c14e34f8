package io.spotnest.migration;

/** The seam to one host's hypervisor: start, inspect and remove agent VMs. */
public interface Hypervisor extends AutoCloseable {

  HypervisorEndpoint endpoint();

  /** Creates the VM's workspace overlay and starts it; fails if a VM of that name exists on the host. */
  void start(AgentVmSpec vm);

  VmState state(String vmName);

  /** Memory of the VMs active on this host. */
  long usedMemoryMib();

  /** Stops and undefines the VM and deletes its overlay; does nothing if it is absent. */
  void remove(String vmName);

  @Override
  void close();
}
