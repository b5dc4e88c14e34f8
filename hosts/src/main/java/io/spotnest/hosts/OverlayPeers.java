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
 * list.
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
