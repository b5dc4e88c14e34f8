package io.spotnest.jenkins.orchestrator;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostProvider;
import io.spotnest.migration.HypervisorEndpoint;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The hosts' libvirt endpoints as the provider lists them now, for the mover and the VMs; a host
 * whose memory the provider does not know offers the configured amount. The controller connects
 * with the host's libvirt URI as {@code clientUris} makes it (e.g. naming its TLS files, {@link
 * ControllerTlsClient}); other hosts' daemons use the host's own.
 */
final class HostEndpoints {
  private final HostProvider provider;
  private final long defaultMemoryMib;
  private final UnaryOperator<String> clientUris;

  HostEndpoints(HostProvider provider, long defaultMemoryMib, UnaryOperator<String> clientUris) {
    this.provider = provider;
    this.defaultMemoryMib = defaultMemoryMib;
    this.clientUris = clientUris;
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
        h.id(), clientUris.apply(h.libvirtUri().toString()), h.peerUri().toString(), memory);
  }
}
