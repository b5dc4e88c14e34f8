package io.spotnest.jenkins.orchestrator;

import io.spotnest.hosts.OverlayPeers;
import io.spotnest.hosts.ssh.SshHostConfig;
import java.util.List;
import java.util.Objects;

/**
 * A static cloud's overlay: the flood lists' rule (the {@code overlayGateways} field) and the
 * gateways reached over SSH ({@code role=gateway} lines of {@code staticHosts}), whose own lists
 * the provider keeps current too.
 *
 * @param peers the cluster's overlay
 * @param gateways the gateways listed in staticHosts, each VTEP one of {@code peers}' gateways
 */
public record StaticOverlay(OverlayPeers peers, List<SshHostConfig> gateways) {
  public StaticOverlay {
    Objects.requireNonNull(peers, "peers");
    gateways = List.copyOf(gateways);
  }
}
