package io.spotnest.migration;

/** Opens a {@link Hypervisor} for a host; the engine's only way to reach a host. */
@FunctionalInterface
public interface HypervisorFactory {

  /** Connects, or throws {@link MigrationException} of kind {@link FailureKind#HOST_FAILED}. */
  Hypervisor connect(HypervisorEndpoint endpoint);

  /** Real hosts, over libvirt. */
  HypervisorFactory LIBVIRT = LibvirtHypervisor::connect;
}
