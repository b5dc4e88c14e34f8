package io.spotnest.orchestrator.lab;

import io.spotnest.migration.AgentVmSpec;
import io.spotnest.migration.HypervisorEndpoint;
import io.spotnest.testbed.AgentChannelListener;
import io.spotnest.testbed.GuestImage;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedHost;
import java.util.Locale;

/**
 * What the orchestrator's lab tests share: testbed hosts as endpoints, the test guest, its steps.
 */
final class LabAgents {

  private LabAgents() {}

  /** A testbed host under the orchestrator's host id. */
  static HypervisorEndpoint endpoint(TestbedHost h, String hostId) {
    return new HypervisorEndpoint(hostId, h.clientUri(), h.peerUri(), h.memoryMib());
  }

  /**
   * The test guest of {@code nested-agent-image/} (256 MiB, one vCPU, a 64 MiB workspace): steps,
   * dirties {@code dirtyMibS} MiB/s over {@code wssMib} MiB, reports to {@code controller}.
   */
  static AgentVmSpec testGuest(
      String name,
      GuestImage image,
      String address,
      String controller,
      Testbed tb,
      int dirtyMibS,
      int wssMib) {
    String dir = image.kernel().getParent().toString();
    String cmdline =
        String.join(
            " ",
            "console=ttyS0 quiet panic=-1",
            "sn.ip=" + address + "/24",
            "sn.ctrl=" + controller,
            "sn.vm=" + name,
            "sn.dirty=" + dirtyMibS,
            "sn.wss=" + wssMib,
            "sn.ws_mib=4");
    return new AgentVmSpec(
        name,
        256,
        1,
        dir + "/vmlinuz",
        dir + "/initramfs.cpio.gz",
        cmdline,
        "/var/lib/libvirt/images/" + GuestImage.WORKSPACE_BASE_NAME,
        64,
        String.format(Locale.ROOT, "52:54:00:5e:%02x:%02x", tb.names().index(), 1),
        "br0",
        AgentVmSpec.DEFAULT_MTU,
        false);
  }

  /** STEP lines the guest sent on its connection so far. */
  static long steps(AgentChannelListener channel, int conn) {
    return channel.linesOf(conn).stream().filter(l -> l.text().startsWith("STEP ")).count();
  }
}
