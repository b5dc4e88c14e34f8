package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A host's bridge keeps the MAC of the host's address whatever joins it. A bridge left to choose
 * takes the lowest MAC of its ports: with an uplink above a guest tap's (libvirt's {@code fe:} and
 * the guest's five bytes, the same on source and destination), the destination of a move took the
 * MAC its source holds as its own tap's, and the two hosts' peer-to-peer connection went silent
 * right after Prepare (the first move of a lab sent nothing until its deadline, about one lab in
 * 50).
 */
@Tag("lab")
class HostBridgeLabTest extends LabTestCase {

  @Test
  void a_port_with_a_lower_mac_joining_a_hosts_bridge_does_not_take_over_the_hosts_address() {
    try (Testbed tb = Testbed.start(new TestbedSpec(2, 512, LinkShape.UNSHAPED, work))) {
      TestbedHost b = tb.host(2);
      String before = bridgeMac(b);
      // what an incoming guest's tap does to the destination when its MAC is the lowest of br0's
      // ports (here the lowest there is)
      shell.runIn(
          b.namespace(),
          "ip",
          "link",
          "add",
          "sntap0",
          "address",
          "02:00:00:00:00:01",
          "type",
          "veth",
          "peer",
          "name",
          "sntap1");
      shell.runIn(b.namespace(), "ip", "link", "set", "sntap0", "master", "br0", "up");
      shell.runIn(b.namespace(), "ip", "link", "set", "sntap1", "up");

      assertEquals(before, bridgeMac(b), "hostb's bridge after the port");
      for (int i = 1; i <= 2; i++) {
        assertEquals(tb.names().hostBridgeMac(i), bridgeMac(tb.host(i)), tb.host(i).name());
      }
      // and hosta still reaches hostb's address at that MAC
      shell.runIn(tb.host(1).namespace(), "busybox", "ping", "-c", "1", "-W", "3", b.address());
      String neighbour =
          shell.runIn(tb.host(1).namespace(), "ip", "neigh", "show", b.address()).stdout();
      assertTrue(
          neighbour.contains(tb.names().hostBridgeMac(2)), "hosta's neighbour: " + neighbour);
    }
  }

  private String bridgeMac(TestbedHost h) {
    String line = shell.runIn(h.namespace(), "ip", "-br", "link", "show", "br0").stdout().strip();
    return line.split("\\s+")[2];
  }
}
