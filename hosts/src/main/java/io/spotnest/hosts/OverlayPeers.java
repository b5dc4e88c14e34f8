package io.spotnest.hosts;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes each host's VXLAN flood list (head-end replication): every other live host's underlay
 * address plus the overlay gateways' VTEPs. Pending hosts count, so the others already flood to a
 * new host when its agents start. A host without an underlay address is left out; the asking host's
 * own address is never in its list; no address twice; numeric order, whatever the order of the host
 * list. A gateway's own list ({@link #forGateway}) is every live host's address and the other
 * gateways.
 *
 * @param gateways VTEP addresses of the overlay gateways (the controller or a gateway instance)
 */
public record OverlayPeers(List<String> gateways) {
  public OverlayPeers {
    gateways = List.copyOf(gateways);
    for (String g : gateways) {
      if (!IpLiteral.is(g)) {
        throw new IllegalArgumentException(
            "overlayGateways: expected IP addresses, got '" + g + "'");
      }
    }
  }

  /**
   * The first flood list of a host being launched, which has no id nor address yet: every live
   * host's address and the gateways.
   */
  public List<String> forNewHost(Collection<Host> hosts) {
    return peers(Set.of(), hosts);
  }

  /** The flood list of host {@code hostId}, given the cluster's hosts. */
  public List<String> forHost(String hostId, Collection<Host> hosts) {
    Objects.requireNonNull(hostId, "hostId");
    // ordered and deduplicated by address value (fd00::2 and fd00:0::2 are one)
    Set<String> own = new TreeSet<>(IpLiteral.NUMERIC);
    hosts.stream()
        .filter(h -> h.id().equals(hostId))
        .forEach(h -> h.underlayAddress().ifPresent(own::add));
    return peers(own, hosts.stream().filter(h -> !h.id().equals(hostId)).toList());
  }

  /**
   * The flood list of the gateway whose VTEP is {@code gatewayAddress}: every live host's address
   * and the other gateways, never its own address.
   */
  public List<String> forGateway(String gatewayAddress, Collection<Host> hosts) {
    Set<String> own = new TreeSet<>(IpLiteral.NUMERIC);
    own.add(gatewayAddress);
    return peers(own, hosts);
  }

  /** True when {@code address} is one of the gateways' VTEPs (by value: fd00::2 is fd00:0::2). */
  public boolean isGateway(String address) {
    if (!IpLiteral.is(address)) {
      return false;
    }
    Set<String> all = new TreeSet<>(IpLiteral.NUMERIC);
    all.addAll(gateways);
    return all.contains(address);
  }

  private List<String> peers(Set<String> own, Collection<Host> others) {
    Set<String> peers = new TreeSet<>(IpLiteral.NUMERIC);
    peers.addAll(gateways);
    others.stream()
        .filter(h -> h.state().isLive())
        .forEach(h -> h.underlayAddress().ifPresent(peers::add));
    peers.removeIf(own::contains);
    return List.copyOf(peers);
  }
}
