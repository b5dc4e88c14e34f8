package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The rendered domain XML, read back with a real XML parser. */
class DomainXmlNicTest {

  private static AgentVmSpec vm(int mtu) {
    return new AgentVmSpec(
        "agent-1",
        256,
        1,
        "/img/vmlinuz",
        "/img/initramfs.cpio.gz",
        "console=ttyS0 sn.ip=10.231.0.2/24",
        "/img/workspace-base.qcow2",
        64,
        "52:54:00:00:00:01",
        "br0",
        mtu,
        false);
  }

  private static Element nic(String xml) throws Exception {
    var doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    return (Element) doc.getElementsByTagName("interface").item(0);
  }

  @Test
  void theGuestNicCarriesTheOverlayMtu() throws Exception {
    // a 1500-byte underlay (EC2 across a VPN/peering) leaves 1450 for the VXLAN overlay
    Element nic = nic(DomainXml.domain(vm(1450), "/img/agent-1.qcow2", "/log/agent-1.log"));
    assertEquals(1, nic.getElementsByTagName("mtu").getLength(), "one <mtu> on the NIC");
    assertEquals("1450", ((Element) nic.getElementsByTagName("mtu").item(0)).getAttribute("size"));
  }

  @Test
  void theDefaultMtuIsTheLabOverlaysAndSurvivesWithoutWorkspace() throws Exception {
    AgentVmSpec plain =
        new AgentVmSpec(
            "agent-2",
            256,
            1,
            "/img/vmlinuz",
            "/img/initramfs.cpio.gz",
            "console=ttyS0",
            "/img/workspace-base.qcow2",
            64,
            "52:54:00:00:00:02",
            "br0",
            AgentVmSpec.DEFAULT_MTU,
            false);
    AgentVmSpec labGuest =
        TestGuest.spec(
            "agent-3",
            256,
            "/img",
            "/img/workspace-base.qcow2",
            "10.231.0.3/24",
            "10.231.0.1:7000",
            0,
            16,
            "52:54:00:00:00:03");
    assertEquals(AgentVmSpec.DEFAULT_MTU, labGuest.mtu(), "the lab's test guest");
    assertEquals(1500, AgentVmSpec.DEFAULT_MTU, "underlay 1550 - VXLAN 50 in the lab");
    assertEquals(1450, vm(1450).withoutWorkspace().mtu());
    Element nic = nic(DomainXml.domain(plain.withoutWorkspace(), null, "/log/agent-2.log"));
    assertEquals("1500", ((Element) nic.getElementsByTagName("mtu").item(0)).getAttribute("size"));
  }

  @Test
  void anMtuOutsideEthernetsRangeIsRefusedNamingTheField() {
    for (int bad : new int[] {0, 575, 9217}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vm(bad));
      assertTrue(e.getMessage().contains("mtu"), e.getMessage());
    }
    assertEquals(9000, vm(9000).mtu());
  }
}
