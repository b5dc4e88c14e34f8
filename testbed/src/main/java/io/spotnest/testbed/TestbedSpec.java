package io.spotnest.testbed;

import java.nio.file.Path;

/**
 * What lab to build.
 *
 * @param hosts number of libvirt hosts (1..8)
 * @param hostMemoryMib memory each host offers to guests (its declared capacity)
 * @param link initial shape of every host's link
 * @param workRoot directory under which the lab keeps its per-host config, disks and logs
 */
public record TestbedSpec(int hosts, long hostMemoryMib, LinkShape link, Path workRoot) {

  public TestbedSpec {
    if (hosts < 1 || hosts > 8) {
      throw new IllegalArgumentException("testbed hosts must be 1..8, was " + hosts);
    }
    if (hostMemoryMib < 64) {
      throw new IllegalArgumentException("testbed hostMemoryMib must be at least 64, was " + hostMemoryMib);
    }
    if (link == null) {
      throw new IllegalArgumentException("testbed link must be given (LinkShape.UNSHAPED for none)");
    }
    if (workRoot == null || !workRoot.isAbsolute()) {
      throw new IllegalArgumentException("testbed workRoot must be an absolute path, was " + workRoot);
    }
  }

  /** Two hosts with 2 GiB each, unshaped, under /var/tmp/spotnest. */
  public static TestbedSpec twoHosts() {
    return new TestbedSpec(2, 2048, LinkShape.UNSHAPED, Path.of("/var/tmp/spotnest"));
  }

  public TestbedSpec withHosts(int n) {
    return new TestbedSpec(n, hostMemoryMib, link, workRoot);
  }
}
