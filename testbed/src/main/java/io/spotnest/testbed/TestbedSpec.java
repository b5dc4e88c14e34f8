package io.spotnest.testbed;

import java.nio.file.Path;

/**
 * What lab to build.
 *
 * @param hosts number of libvirt hosts (1..8)
 * @param hostMemoryMib memory each host offers to guests (its declared capacity)
 * @param link initial shape of every host's link
 * @param workRoot directory under which the lab keeps its per-host config, disks and logs
 * @param topology how the hosts are joined: one switched LAN (the default), or a routed subnet each
 *     with the agents on a VXLAN overlay spanning the hosts
 */
public record TestbedSpec(
    int hosts, long hostMemoryMib, LinkShape link, Path workRoot, Topology topology) {

  /** How a lab's hosts are joined. */
  public enum Topology {
    /** Every host's uplink is a port of one bridge (one L2 segment), agents bridged onto it. */
    SWITCHED,
    /**
     * Each host in its own subnet behind a router namespace (no shared L2 segment); agents on a
     * VXLAN overlay whose gateway, in the router namespace, joins it to the controller.
     */
    ROUTED
  }

  public TestbedSpec {
    if (hosts < 1 || hosts > 8) {
      throw new IllegalArgumentException("testbed hosts must be 1..8, was " + hosts);
    }
    if (hostMemoryMib < 64) {
      throw new IllegalArgumentException(
          "testbed hostMemoryMib must be at least 64, was " + hostMemoryMib);
    }
    if (link == null) {
      throw new IllegalArgumentException(
          "testbed link must be given (LinkShape.UNSHAPED for none)");
    }
    if (workRoot == null || !workRoot.isAbsolute()) {
      throw new IllegalArgumentException(
          "testbed workRoot must be an absolute path, was " + workRoot);
    }
    if (topology == null) {
      throw new IllegalArgumentException("testbed topology must be given (SWITCHED or ROUTED)");
    }
  }

  /** A switched lab (the default topology). */
  public TestbedSpec(int hosts, long hostMemoryMib, LinkShape link, Path workRoot) {
    this(hosts, hostMemoryMib, link, workRoot, Topology.SWITCHED);
  }

  /** Two hosts with 2 GiB each, unshaped, under /var/tmp/spotnest. */
  public static TestbedSpec twoHosts() {
    return new TestbedSpec(2, 2048, LinkShape.UNSHAPED, Path.of("/var/tmp/spotnest"));
  }

  public TestbedSpec withHosts(int n) {
    return new TestbedSpec(n, hostMemoryMib, link, workRoot, topology);
  }

  /**
   * The same lab with each host in its own routed subnet and the agents on an overlay ({@link
   * Topology#ROUTED}).
   */
  public TestbedSpec withRoutedSubnets() {
    return new TestbedSpec(hosts, hostMemoryMib, link, workRoot, Topology.ROUTED);
  }

  public boolean routed() {
    return topology == Topology.ROUTED;
  }
}
