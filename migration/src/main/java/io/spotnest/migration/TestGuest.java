package io.spotnest.migration;

/**
 * The tiny test guest of {@code nested-agent-image/} as an {@link AgentVmSpec}: its stand-in build
 * steps, dirties memory at a set rate, writes its workspace disk and reports over one TCP
 * connection to the controller. The demo ({@code spotnest demo}) and the engine's lab tests run it.
 */
public final class TestGuest {

  private TestGuest() {}

  /**
   * @param name VM name
   * @param memoryMib guest RAM
   * @param imageDir directory holding vmlinuz and initramfs.cpio.gz (same path on every host)
   * @param baseImage workspace base image path on the hosts
   * @param address guest address with prefix, e.g. 10.231.1.101/24
   * @param controller controller endpoint {@code addr:port}
   * @param dirtyMibPerSecond memory the build dirties per second
   * @param workingSetMib working set the dirtier cycles through
   * @param mac NIC address
   */
  public static AgentVmSpec spec(
      String name,
      long memoryMib,
      String imageDir,
      String baseImage,
      String address,
      String controller,
      int dirtyMibPerSecond,
      int workingSetMib,
      String mac) {
    String cmdline =
        String.join(
            " ",
            "console=ttyS0 quiet panic=-1",
            "sn.ip=" + address,
            "sn.ctrl=" + controller,
            "sn.vm=" + name,
            "sn.dirty=" + dirtyMibPerSecond,
            "sn.wss=" + workingSetMib,
            "sn.ws_mib=4");
    return new AgentVmSpec(
        name,
        memoryMib,
        1,
        imageDir + "/vmlinuz",
        imageDir + "/initramfs.cpio.gz",
        cmdline,
        baseImage,
        64,
        mac,
        "br0",
        AgentVmSpec.DEFAULT_MTU,
        false);
  }
}
