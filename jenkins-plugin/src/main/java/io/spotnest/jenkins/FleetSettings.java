package io.spotnest.jenkins;

import io.spotnest.migration.StandbyMemory;
import io.spotnest.strategy.fleet.CopyMode;
import java.util.Objects;
import java.util.Optional;

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
 * @param overlayMtu the MTU of the hosts' agent overlay (their underlay MTU minus 50): agent VMs'
 *     NICs get it
 * @param marketFeed the market data file for static hosts that are spot capacity (absolute, or
 *     relative to {@code $JENKINS_HOME/spotnest}); empty when every static host is on-demand
 * @param overlayGateways IPv4 VTEP addresses of the static hosts' overlay gateways, comma- or
 *     blank-separated: with any, the static hosts' flood lists are kept current over SSH (each
 *     floods to the other attached hosts and the gateways); empty when SpotNest runs nothing on
 *     them
 * @param copyMode when agents get a standing copy on a backup host (the cloud's {@code
 *     standingCopies}); null reads as {@link SpotNestCloud#DEFAULT_STANDING_COPIES}
 * @param standbyMemory where a standing copy's backup holds the copy's memory (the cloud's {@code
 *     standbyMemory}): {@link StandbyMemory#FILE} also starts every agent VM with its RAM in a
 *     file, as libvirt needs; null reads as {@link StandbyMemory#RAM}, what clouds ran before
 * @param standbyStoreGb room for standby files on each host's disk (the cloud's {@code
 *     standbyStoreGb}; 0: none), see {@link #standbyStoreMiB()}
 * @param ec2 the EC2 spot and on-demand hosts, when the cloud runs on EC2 instead of static hosts
 */
public record FleetSettings(
    String cloudName,
    String staticHosts,
    int hostMemoryMb,
    String imagesDir,
    String bridge,
    int linkMbps,
    int maxAgents,
    int overlayMtu,
    String marketFeed,
    String overlayGateways,
    CopyMode copyMode,
    StandbyMemory standbyMemory,
    int standbyStoreGb,
    Optional<Ec2FleetSettings> ec2) {
  public FleetSettings {
    if (standbyStoreGb < 0) {
      throw new IllegalArgumentException(
          "standbyStoreGb: must not be negative, was " + standbyStoreGb);
    }
    Objects.requireNonNull(marketFeed, "marketFeed");
    overlayGateways = overlayGateways == null ? "" : overlayGateways;
    copyMode = copyMode == null ? SpotNestCloud.DEFAULT_STANDING_COPIES : copyMode;
    standbyMemory = standbyMemory == null ? SpotNestCloud.DEFAULT_STANDBY_MEMORY : standbyMemory;
    Objects.requireNonNull(ec2, "ec2");
  }

  /** Settings of on-demand static hosts, their overlay of the default MTU (1500). */
  public FleetSettings(
      String cloudName,
      String staticHosts,
      int hostMemoryMb,
      String imagesDir,
      String bridge,
      int linkMbps,
      int maxAgents) {
    this(
        cloudName,
        staticHosts,
        hostMemoryMb,
        imagesDir,
        bridge,
        linkMbps,
        maxAgents,
        SpotNestCloud.DEFAULT_OVERLAY_MTU,
        "",
        "",
        SpotNestCloud.DEFAULT_STANDING_COPIES,
        SpotNestCloud.DEFAULT_STANDBY_MEMORY,
        SpotNestCloud.DEFAULT_STANDBY_STORE_GB,
        Optional.empty());
  }

  /** The same settings with agent VMs' NICs at {@code mtu}. */
  public FleetSettings withOverlayMtu(int mtu) {
    return with(mtu, overlayGateways, copyMode, standbyMemory, ec2);
  }

  /**
   * The orchestrator's standby store per host ({@code FleetConfig.standbyStoreMiB}): the cloud's
   * {@code standbyStoreGb} with {@link StandbyMemory#FILE}, none with {@link StandbyMemory#RAM}.
   */
  public long standbyStoreMiB() {
    return standbyMemory == StandbyMemory.FILE ? standbyStoreGb * 1024L : 0;
  }

  /** The same settings on EC2 hosts. */
  public FleetSettings withEc2(Ec2FleetSettings hosts) {
    return with(overlayMtu, overlayGateways, copyMode, standbyMemory, Optional.of(hosts));
  }

  /** The same settings with these overlay gateways. */
  public FleetSettings withOverlayGateways(String gateways) {
    return with(overlayMtu, gateways, copyMode, standbyMemory, ec2);
  }

  /** The same settings with standing copies given in {@code mode}. */
  public FleetSettings withCopyMode(CopyMode mode) {
    return with(overlayMtu, overlayGateways, mode, standbyMemory, ec2);
  }

  /** The same settings with standing copies' memory held as {@code memory} says. */
  public FleetSettings withStandbyMemory(StandbyMemory memory) {
    return with(overlayMtu, overlayGateways, copyMode, memory, ec2);
  }

  /**
   * The same settings but for the overlay's MTU and gateways, the copy mode, the standby memory and
   * the EC2 hosts.
   */
  private FleetSettings with(
      int mtu,
      String gateways,
      CopyMode mode,
      StandbyMemory memory,
      Optional<Ec2FleetSettings> hosts) {
    return new FleetSettings(
        cloudName,
        staticHosts,
        hostMemoryMb,
        imagesDir,
        bridge,
        linkMbps,
        maxAgents,
        mtu,
        marketFeed,
        gateways,
        mode,
        memory,
        standbyStoreGb,
        hosts);
  }
}
