package io.spotnest.jenkins;

/**
 * What a {@link SpotNestCloud} says about the fleet the orchestrator runs on: its static hosts, how
 * agent VMs are built on them, and how fast the hosts' link is.
 *
 * @param cloudName the cloud's name (also the cluster's name in its TLS certificates)
 * @param staticHosts the static hosts, one per line, in the hosts file format of {@code
 *     io.spotnest.hosts.ssh.SshHostsFile}
 * @param hostMemoryMb memory each static host offers to agent VMs
 * @param imagesDir where every host holds the agent images
 * @param bridge the host bridge agent VMs join
 * @param linkMbps the link rate between hosts, for migration estimates
 * @param maxAgents the cloud's cap on agents
 * @param marketFeed the market data file for static hosts that are spot capacity (absolute, or
 *     relative to {@code $JENKINS_HOME/spotnest}); empty when every static host is on-demand
 */
public record FleetSettings(
    String cloudName,
    String staticHosts,
    int hostMemoryMb,
    String imagesDir,
    String bridge,
    int linkMbps,
    int maxAgents,
    String marketFeed) {

  /** Settings of static hosts that are all on-demand capacity (no market feed). */
  public FleetSettings(
      String cloudName,
      String staticHosts,
      int hostMemoryMb,
      String imagesDir,
      String bridge,
      int linkMbps,
      int maxAgents) {
    this(cloudName, staticHosts, hostMemoryMb, imagesDir, bridge, linkMbps, maxAgents, "");
  }
}
