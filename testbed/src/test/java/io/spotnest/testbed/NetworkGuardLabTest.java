package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The subnet check a lab makes before it adds its controller address, run in a namespace this test
 * creates (with a dummy device, so nothing it routes can leave), never against the machine's own
 * routes.
 */
@Tag("lab")
class NetworkGuardLabTest {

  private final Shell shell = new Shell();
  private final String ns = "snguard" + ProcessHandle.current().pid();

  @BeforeEach
  void namespace() {
    LabPrerequisites.require();
    shell.run("ip", "netns", "add", ns);
    shell.run("ip", "-n", ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
    shell.run("ip", "-n", ns, "link", "set", "d1", "up");
    shell.run("ip", "-n", ns, "link", "set", "d0", "up");
    shell.run("ip", "-n", ns, "route", "add", "default", "dev", "d0");
  }

  @AfterEach
  void remove() {
    shell.exec(List.of("ip", "netns", "del", ns));
  }

  @Test
  void a_subnet_the_namespace_already_routes_anywhere_but_by_default_is_refused() {
    NetworkGuard guard = new NetworkGuard(shell);
    // only the default route covers it: free to claim
    guard.requireSubnetUnclaimed(ns, "10.231.201.0/24");

    shell.run("ip", "-n", ns, "addr", "add", "10.231.202.5/24", "dev", "d0");
    refused(guard, "10.231.202.0/24", "10.231.202.0/24");

    shell.run("ip", "-n", ns, "route", "add", "10.231.204.128/25", "dev", "d0");
    refused(guard, "10.231.204.0/24", "10.231.204.128/25");

    shell.run("ip", "-n", ns, "route", "add", "10.231.0.0/16", "dev", "d0");
    refused(guard, "10.231.205.0/24", "10.231.0.0/16");
    // the refusal happens before anything is added: the namespace holds only what this test added
    String addrs = shell.run("ip", "-n", ns, "-4", "-o", "addr", "show", "dev", "d0").stdout();
    assertTrue(addrs.strip().lines().count() == 1 && addrs.contains("10.231.202.5/24"), addrs);
  }

  private void refused(NetworkGuard guard, String cidr, String existingRoute) {
    TestbedException e =
        assertThrows(TestbedException.class, () -> guard.requireSubnetUnclaimed(ns, cidr));
    assertTrue(
        e.getMessage().contains("refusing lab subnet " + cidr)
            && e.getMessage().contains(existingRoute)
            && e.getMessage().contains("d0"),
        e.getMessage());
  }
}
