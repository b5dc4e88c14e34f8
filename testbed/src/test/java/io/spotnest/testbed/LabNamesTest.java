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
    for (String dev : new String[] {n.hostUplink(8), n.switchPort(8), n.managementDevice(), n.managementPort()}) {
      assertTrue(dev.length() <= 15, dev);
    }
    assertTrue(LabNames.NAMESPACE.matcher(n.hostNamespace(3)).matches());
    assertTrue(LabNames.NAMESPACE.matcher(n.switchNamespace()).matches());
    assertFalse(LabNames.NAMESPACE.matcher("vlab").matches());
    assertEquals("10.231.60.13", n.hostAddress(3));
    assertEquals("10.231.60.254", n.controllerAddress());
  }

  @Test
  void out_of_range_values_are_refused_with_the_field_named() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new LabNames(0)).getMessage().contains("lab index"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new LabNames(1).guestAddress(100))
        .getMessage().contains("guest number"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new LinkShape(-1, 0))
        .getMessage().contains("rateMbit"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TestbedSpec.twoHosts().withHosts(9))
        .getMessage().contains("hosts"));
  }

  @Test
  void route_output_parsing_finds_the_device() {
    assertEquals("snm3", NetworkGuard.device("10.231.3.11 dev snm3 src 10.231.3.254 uid 0 \n    cache"));
    assertEquals(null, NetworkGuard.device("RTNETLINK answers: Network is unreachable"));
  }
}
