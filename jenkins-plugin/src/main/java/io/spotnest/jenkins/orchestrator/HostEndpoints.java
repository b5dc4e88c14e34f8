package io.spotnest.jenkins.orchestrator;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostProvider;
import io.spotnest.migration.HypervisorEndpoint;
import java.util.List;
import java.util.Optional;

/**
 * The hosts' libvirt endpoints as the provider lists them now, for the mover and the VMs; a host
 * whose memory the provider does not know offers the configured amount.
 */
final class HostEndpoints {
  private final HostProvider provider;
  private final long defaultMemoryMib;

  HostEndpoints(HostProvider provider, long defaultMemoryMib) {
    this.provider = provider;
    this.defaultMemoryMib = defaultMemoryMib;
  }

  List<HypervisorEndpoint> all() {
    return provider.list().stream().filter(h -> h.state().isLive()).map(this::endpoint).toList();
  }

  Optional<HypervisorEndpoint> of(String hostId) {
    return provider.list().stream()
        .filter(h -> h.id().equals(hostId) && h.state().isLive())
        .findFirst()
        .map(this::endpoint);
  }

  private HypervisorEndpoint endpoint(Host h) {
    long memory = h.capacity().memoryMib() > 0 ? h.capacity().memoryMib() : defaultMemoryMib;
    return new HypervisorEndpoint(
        h.id(), h.libvirtUri().toString(), h.peerUri().toString(), memory);
  }
}
