package io.spotnest.migration;

/**
 * An agent VM to start on a host: direct kernel boot, one virtio NIC on the host bridge, one qcow2
 * overlay over a base image that every host holds at the same path.
 *
 * @param name libvirt domain name
 * @param memoryMib guest RAM
 * @param vcpus virtual CPUs
 * @param kernel kernel path (same on every host)
 * @param initramfs initramfs path (same on every host)
 * @param cmdline kernel command line
 * @param baseImage base image of the workspace disk, as a path on the host
 * @param workspaceMib size of the workspace disk, 0 for a VM without one
 * @param mac the NIC's MAC address (kept across migrations, so the VM keeps its address)
 * @param bridge host bridge the NIC joins (same name on every host)
 * @param mtu the NIC's MTU: the overlay's, i.e. the underlay's minus the {@value #VXLAN_OVERHEAD}
 *     bytes of VXLAN encapsulation, so the guest never sends a frame the tunnel must drop
 * @param fileMemory the guest's RAM is a private mapping of a file under the host's libvirt {@code
 *     memory_backing_dir} ({@code <memoryBacking><source type='file'/>}) instead of anonymous
 *     memory: it behaves as RAM on its host, and it is what lets a standing copy hold the VM's
 *     standby memory in a shared file on a backup ({@link StandbyMemory#FILE}), since libvirt
 *     migrates a VM only to the same memory source; post-copy cannot move into file-backed memory
 *     on disk (userfaultfd serves anonymous, shmem and hugetlbfs memory only)
 */
public record AgentVmSpec(
    String name,
    long memoryMib,
    int vcpus,
    String kernel,
    String initramfs,
    String cmdline,
    String baseImage,
    long workspaceMib,
    String mac,
    String bridge,
    int mtu,
    boolean fileMemory) {

  /** IPv4 + UDP + VXLAN headers and the inner Ethernet header. */
  public static final int VXLAN_OVERHEAD = 50;

  /** The lab overlay's MTU (1550-byte underlay links): a standard Ethernet payload. */
  public static final int DEFAULT_MTU = 1500;

  public AgentVmSpec {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException(
          "agent VM name must be 1-63 letters, digits, '.', '_' or '-', was '" + name + "'");
    }
    if (memoryMib < 64 || memoryMib > 1024 * 1024) {
      throw new IllegalArgumentException(
          "agent VM memoryMib must be 64..1048576, was " + memoryMib);
    }
    if (vcpus < 1 || vcpus > 256) {
      throw new IllegalArgumentException("agent VM vcpus must be 1..256, was " + vcpus);
    }
    for (String[] f :
        new String[][] {{"kernel", kernel}, {"initramfs", initramfs}, {"baseImage", baseImage}}) {
      if (f[1] == null || !f[1].startsWith("/")) {
        throw new IllegalArgumentException(
            "agent VM " + f[0] + " must be an absolute path, was " + f[1]);
      }
    }
    if (cmdline == null || cmdline.contains("'") || cmdline.contains("<")) {
      throw new IllegalArgumentException(
          "agent VM cmdline must be given and hold no quotes or '<'");
    }
    if (workspaceMib < 0) {
      throw new IllegalArgumentException(
          "agent VM workspaceMib must be zero (no disk) or positive, was " + workspaceMib);
    }
    if (mac == null || !mac.matches("52:54:00(:[0-9a-f]{2}){3}")) {
      throw new IllegalArgumentException(
          "agent VM mac must be a 52:54:00:xx:xx:xx address, was " + mac);
    }
    if (bridge == null || !bridge.matches("[A-Za-z0-9_-]{1,15}")) {
      throw new IllegalArgumentException(
          "agent VM bridge must be an interface name, was " + bridge);
    }
    if (mtu < 576 || mtu > 9216) {
      throw new IllegalArgumentException("agent VM mtu must be 576..9216, was " + mtu);
    }
  }

  /** The same VM without a workspace disk (the test guest is told so on its command line). */
  public AgentVmSpec withoutWorkspace() {
    return with(cmdline + " sn.disk=none", 0, vcpus, fileMemory);
  }

  /** The same VM with {@code vcpus} virtual CPUs. */
  public AgentVmSpec withVcpus(int vcpus) {
    return with(cmdline, workspaceMib, vcpus, fileMemory);
  }

  public boolean hasWorkspace() {
    return workspaceMib > 0;
  }

  /** The overlay's file name in the host's images directory. */
  public String overlayName() {
    return name + ".qcow2";
  }

  /** The same VM with its RAM in a file ({@link #fileMemory()}). */
  public AgentVmSpec withFileMemory() {
    return with(cmdline, workspaceMib, vcpus, true);
  }

  /** The same VM but for these fields. */
  private AgentVmSpec with(String cmdline, long workspaceMib, int vcpus, boolean fileMemory) {
    return new AgentVmSpec(
        name,
        memoryMib,
        vcpus,
        kernel,
        initramfs,
        cmdline,
        baseImage,
        workspaceMib,
        mac,
        bridge,
        mtu,
        fileMemory);
  }
}
