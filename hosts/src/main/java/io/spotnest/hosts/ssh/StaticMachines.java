package io.spotnest.hosts.ssh;

import io.spotnest.hosts.Pool;
import java.util.List;

/**
 * What a static hosts file lists: the hosts agents run on, and the overlay gateways the controller
 * keeps flood lists current on over SSH (lines with {@code role=gateway}).
 *
 * @param hosts the static hosts (the provider attaches them)
 * @param gateways the overlay gateways, each with its VTEP as {@link SshHostConfig#underlay()};
 *     never attached, their pool is {@link #GATEWAY_POOL}
 */
public record StaticMachines(List<SshHostConfig> hosts, List<SshHostConfig> gateways) {
  /** The pool every gateway's config carries: no host is requested from it. */
  public static final Pool GATEWAY_POOL = new Pool("overlay-gateway", "overlay");

  public StaticMachines {
    hosts = List.copyOf(hosts);
    gateways = List.copyOf(gateways);
  }
}
