package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabNamesTest {

  @Test
  void names_fit_linux_interface_limit_and_are_recognised_by_the_janitor() {
    LabNames n = new LabNames(LabNames.MAX_INDEX);
    for (String dev :
        new String[] {n.hostUplink(8), n.switchPort(8), n.managementDevice(), n.managementPort()}) {
      assertTrue(dev.length() <= 15, dev);
    }
    assertTrue(LabNames.NAMESPACE.matcher(n.hostNamespace(3)).matches());
    assertTrue(LabNames.NAMESPACE.matcher(n.switchNamespace()).matches());
    assertFalse(LabNames.NAMESPACE.matcher("vlab").matches());
    assertEquals("10.231.60.13", n.hostAddress(3));
    assertEquals("10.231.60.254", n.controllerAddress());
  }

  @Test
  void
      routed_addresses_stay_in_the_lab_subnet_without_overlapping_and_the_janitor_knows_the_gateway() {
    LabNames n = new LabNames(7);
    assertTrue(LabNames.NAMESPACE.matcher(n.gatewayNamespace()).matches());
    assertEquals(n.switchNamespace(), n.routerNamespace());
    assertEquals("10.231.7.2", n.gatewayVtep());
    assertEquals("10.231.7.66", n.routedHostAddress(8));
    assertEquals("10.231.7.65", n.routedHostGateway(8));
    assertEquals("10.231.7.64/29", n.routedHostSubnet(8));
    assertEquals("10.231.7.126/27", n.overlayGuestCidr(26));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> n.overlayGuestCidr(27))
            .getMessage()
            .contains("overlay guest number"));
    assertEquals(
        TestbedSpec.Topology.ROUTED,
        TestbedSpec.twoHosts().withRoutedSubnets().withHosts(3).topology());
    assertEquals(TestbedSpec.Topology.SWITCHED, TestbedSpec.twoHosts().topology());
  }

  @Test
  void out_of_range_values_are_refused_with_the_field_named() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new LabNames(0))
            .getMessage()
            .contains("lab index"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new LabNames(1).guestAddress(100))
            .getMessage()
            .contains("guest number"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new LinkShape(-1, 0))
            .getMessage()
            .contains("rateMbit"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> TestbedSpec.twoHosts().withHosts(9))
            .getMessage()
            .contains("hosts"));
  }

  @Test
  void route_output_parsing_finds_the_device() {
    assertEquals(
        "snm3", NetworkGuard.device("10.231.3.11 dev snm3 src 10.231.3.254 uid 0 \n    cache"));
    assertEquals(null, NetworkGuard.device("RTNETLINK answers: Network is unreachable"));
  }
}
