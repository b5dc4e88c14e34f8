package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The routed topology: hosts in subnets of their own behind a router, agents on a VXLAN overlay
 * spanning them.
 */
@Tag("lab")
class RoutedTestbedLabTest extends LabTestCase {

  @Test
  void hosts_share_no_l2_segment_and_the_overlay_spans_them_with_a_consistent_mtu() {
    LabNames names;
    Path ledger;
    try (Testbed tb =
        Testbed.start(new TestbedSpec(2, 256, new LinkShape(100, 0), work).withRoutedSubnets())) {
      names = tb.names();
      ledger = new LabJanitor(shell, LabJanitor.defaultStateRoot()).ledgerFor(names.index()).file();
      TestbedHost a = tb.host(1);
      TestbedHost b = tb.host(2);
      String router = names.routerNamespace();

      // each host has its address in a /29 of its own, and reaches the other through the router,
      // not on-link
      assertEquals(names.routedHostAddress(1), a.address());
      assertEquals(names.routedHostAddress(2), b.address());
      assertTrue(
          ip(a.namespace(), "-4", "-o", "addr", "show").contains(a.address() + "/29"),
          "A's address is a /29");
      String aToB = ip(a.namespace(), "-4", "route", "get", b.address());
      assertTrue(
          aToB.contains("via " + names.routedHostGateway(1) + " dev " + names.hostUplink(1)), aToB);
      // nothing outside the lab is routable from a host or the gateway (a lookup of a name libvirt
      // does, e.g.,
      // fails at once instead of sending a query into the router and waiting 5 s for it)
      for (String ns : List.of(a.namespace(), b.namespace(), names.gatewayNamespace(), router)) {
        assertEquals(
            "", ip(ns, "-4", "route", "show", "default").strip(), ns + " has a default route");
        assertFalse(
            shell.exec(List.of("ip", "-n", ns, "-4", "route", "get", "192.0.2.1")).ok(),
            ns + " routes 192.0.2.1");
      }
      // the router's host ports are routed interfaces, each in its own subnet, never bridge ports
      String routerLinks = ip(router, "-d", "-o", "link", "show");
      for (int i = 1; i <= 2; i++) {
        String port = line(routerLinks, names.switchPort(i) + "@");
        assertFalse(port.contains(" master "), "router port bridged: " + port);
        assertTrue(
            ip(router, "-4", "-o", "addr", "show", "dev", names.switchPort(i))
                .contains(names.routedHostGateway(i) + "/29"));
      }
      // hosts' uplinks are not bridged either: their only bridge is the agent bridge, whose one
      // outside port is VXLAN
      for (TestbedHost h : List.of(a, b)) {
        String links = ip(h.namespace(), "-d", "-o", "link", "show");
        String uplink = line(links, names.hostUplink(tb.hosts().indexOf(h) + 1) + "@");
        assertFalse(uplink.contains(" master "), h.name() + " uplink bridged: " + uplink);
        assertTrue(uplink.contains("mtu 1550"), uplink);
        String vxlan = line(links, "vxlan0:");
        assertTrue(
            vxlan.contains("master br0")
                && vxlan.contains("vxlan id " + names.overlayVni())
                && vxlan.contains("local " + h.address())
                && vxlan.contains("dstport 4789")
                && vxlan.contains("mtu 1500"),
            vxlan);
        assertTrue(line(links, "br0:").contains("mtu 1500"), links);
        assertEquals(
            "",
            ip(h.namespace(), "-4", "-o", "addr", "show", "dev", "br0").strip(),
            "the agent bridge carries no host address");
      }
      // the host links are shaped at both ends, as in the switched topology
      String qdisc =
          shell.runIn(a.namespace(), "tc", "qdisc", "show", "dev", names.hostUplink(1)).stdout()
              + shell.runIn(router, "tc", "qdisc", "show", "dev", names.switchPort(1)).stdout();
      assertEquals(
          2,
          qdisc.lines().filter(l -> l.contains("tbf") && l.contains("rate 100Mbit")).count(),
          qdisc);
      // head-end replication: each VTEP floods to every other one
      String fdbA = shell.runIn(a.namespace(), "bridge", "fdb", "show", "dev", "vxlan0").stdout();
      assertTrue(
          fdbA.contains("00:00:00:00:00:00 dst " + b.address())
              && fdbA.contains("dst " + names.gatewayVtep()),
          fdbA);
      String fdbGw =
          shell.runIn(names.gatewayNamespace(), "bridge", "fdb", "show", "dev", "vxlan0").stdout();
      assertTrue(
          fdbGw.contains("dst " + a.address()) && fdbGw.contains("dst " + b.address()), fdbGw);
      // the controller reaches hosts and the overlay gateway through its lab link and the router
      tb.requireLabRoute(a.address());
      tb.requireLabRoute(names.overlayGateway());
      assertEquals(
          "hostb", shell.run("virsh", "-q", "-c", b.clientUri(), "hostname").stdout().strip());
      // and host A's daemon reaches host B's (the peer-to-peer migration path) across the router
      String pid = readPid(a);
      shell.run("nsenter", "-t", pid, "-n", "-m", "virsh", "-q", "-c", b.peerUri(), "uri");
    }
    String listed = shell.run("ip", "netns", "list").stdout();
    for (String ns :
        List.of(
            names.routerNamespace(),
            names.gatewayNamespace(),
            names.hostNamespace(1),
            names.hostNamespace(2))) {
      assertFalse(
          listed.lines().anyMatch(l -> l.equals(ns) || l.startsWith(ns + " ")),
          ns + " left behind");
    }
    assertFalse(
        shell.exec(List.of("ip", "link", "show", names.managementDevice())).ok(),
        "controller link left");
    assertFalse(Files.exists(ledger), "ledger left behind");
  }

  @Test
  void the_janitor_removes_a_routed_lab_whose_owner_was_killed_with_sigkill() throws Exception {
    HeldLab held = holdInChild(HoldRoutedLab.class);
    Process child = held.process();
    child.destroyForcibly(); // SIGKILL: no shutdown hook runs
    int index = Integer.parseInt(held.ready()[0]);
    assertTrue(child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
    LabNames names = new LabNames(index);
    List<String> spaces =
        List.of(
            names.routerNamespace(),
            names.gatewayNamespace(),
            names.hostNamespace(1),
            names.hostNamespace(2));
    String before = shell.run("ip", "netns", "list").stdout();
    for (String ns : spaces) {
      assertTrue(
          before.lines().anyMatch(l -> l.equals(ns) || l.startsWith(ns + " ")),
          ns + " missing before cleaning");
    }

    List<String> removed =
        new LabJanitor(shell, LabJanitor.defaultStateRoot()).cleanIfUnused(index);

    String after = shell.run("ip", "netns", "list").stdout();
    for (String ns : spaces) {
      assertFalse(
          after.lines().anyMatch(l -> l.equals(ns) || l.startsWith(ns + " ")),
          ns + " left: " + removed);
    }
    assertFalse(
        shell.exec(List.of("ip", "link", "show", names.managementDevice())).ok(),
        "controller link left");
    assertFalse(
        shell.run("ip", "-4", "route", "show").stdout().contains(names.subnet() + ".0/24"),
        "route left");
    assertFalse(Files.exists(work.resolve("lab" + index)), "work directory left behind");
  }

  /** Starts a two-host routed lab, prints its index and waits to be killed. */
  public static final class HoldRoutedLab {
    public static void main(String[] args) throws Exception {
      Testbed tb =
          Testbed.start(
              new TestbedSpec(2, 256, LinkShape.UNSHAPED, Path.of(args[0])).withRoutedSubnets());
      System.out.println("READY " + tb.names().index());
      System.out.flush();
      Thread.sleep(600_000);
    }
  }

  private String ip(String ns, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("ip", "-n", ns));
    cmd.addAll(List.of(args));
    return shell.run(cmd.toArray(String[]::new)).stdout();
  }

  private static String line(String output, String marker) {
    return output
        .lines()
        .filter(l -> l.contains(" " + marker))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no link " + marker + " in:\n" + output));
  }

  private static String readPid(TestbedHost h) {
    try {
      return Files.readString(h.pidFile()).strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
