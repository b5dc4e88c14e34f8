package io.spotnest.testbed;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the routed topology of a lab ({@link TestbedSpec.Topology#ROUTED}): a router namespace
 * that the controller reaches over its lab link, each host on a point-to-point link of its own to
 * the router in a subnet of its own (no L2 segment is shared by two hosts), and a VXLAN overlay for
 * the agents: on every host a VXLAN device (unicast, static head-end replication entries for every
 * peer) bridged into the host's agent bridge {@code br0}, and a gateway namespace behind the router
 * whose VTEP and bridge hold the agents' default gateway. Every namespace and root namespace link
 * is written to the ledger before it is created.
 *
 * <p>MTU: the underlay links carry {@value #UNDERLAY_MTU} bytes so that the overlay, {@value
 * #VXLAN_OVERHEAD} bytes less, carries a standard {@value #OVERLAY_MTU}-byte Ethernet payload, the
 * MTU the agent's NIC uses by default.
 */
final class RoutedNetwork {

  /** IPv4 + UDP + VXLAN headers and the inner Ethernet header. */
  static final int VXLAN_OVERHEAD = 50;

  /** MTU of the host and router links (the underlay). */
  static final int UNDERLAY_MTU = 1550;

  /** MTU of the overlay: VXLAN devices, agent bridges, their taps and the agents' NICs. */
  static final int OVERLAY_MTU = UNDERLAY_MTU - VXLAN_OVERHEAD;

  /** The IANA VXLAN port. */
  static final int VXLAN_PORT = 4789;

  /** The overlay's VXLAN device in every host and in the gateway namespace. */
  static final String VXLAN_DEVICE = "vxlan0";

  /**
   * The agent bridge (the same name as in the switched topology, so a VM's domain is the same in
   * both).
   */
  static final String AGENT_BRIDGE = "br0";

  /** The gateway's overlay bridge in the gateway namespace. */
  static final String GATEWAY_BRIDGE = "spn0";

  /** The gateway's link to the router: its end in the gateway namespace, and the router's end. */
  static final String GATEWAY_UPLINK = "up0";

  static final String GATEWAY_PORT = "gw0";

  private final Shell shell;
  private final LabNames names;
  private final LabNamespaces namespaces;
  private final int hostCount;

  RoutedNetwork(Shell shell, LabNames names, LabLedger ledger, int hostCount) {
    this.shell = shell;
    this.names = names;
    this.namespaces = new LabNamespaces(shell, names, ledger);
    this.hostCount = hostCount;
  }

  /**
   * The router namespace, the controller's link to it, and the overlay gateway behind the router.
   */
  void createRouter() {
    NetworkGuard guard = new NetworkGuard(shell);
    // before any address of the subnet exists: refuse a subnet the machine already routes somewhere
    guard.requireSubnetUnclaimed(null, names.subnet() + ".0/24");
    String r = names.routerNamespace();
    namespaces.add(r);
    shell.runIn(r, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    namespaces.linkController(r);
    shell.run(
        "ip",
        "-n",
        r,
        "addr",
        "add",
        names.routerControllerSide() + "/" + LabNames.ROUTED_CONTROLLER_PREFIX,
        "dev",
        names.managementPort());
    shell.run("ip", "-n", r, "link", "set", names.managementPort(), "up");
    shell.run(
        "ip",
        "addr",
        "add",
        names.controllerAddress() + "/" + LabNames.ROUTED_CONTROLLER_PREFIX,
        "dev",
        names.managementDevice());
    shell.run("ip", "link", "set", names.managementDevice(), "up");
    // the whole lab subnet through the router: hosts, the overlay gateway and the agents behind it
    shell.run(
        "ip",
        "route",
        "add",
        names.subnet() + ".0/24",
        "via",
        names.routerControllerSide(),
        "dev",
        names.managementDevice());
    createGateway();
    guard.requireRoute(null, address(names.overlayGateway()), names.managementDevice());
  }

  /**
   * The overlay gateway: a namespace of its own with one routed link to the router (like a gateway
   * instance in a VPC), a VTEP on that link's address, and the agents' default gateway on its
   * overlay bridge. With a single uplink every tunnel packet leaves through the router as next hop;
   * the kernel keeps a learned MAC's cached route when the MAC moves to another VTEP, which is
   * harmless through one next hop but would strand the moved agent on a router with one link per
   * host.
   */
  private void createGateway() {
    String r = names.routerNamespace();
    String g = names.gatewayNamespace();
    namespaces.add(g);
    shell.runIn(g, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    linkToRouter(g, GATEWAY_UPLINK, names.gatewayVtep(), GATEWAY_PORT, names.gatewayRouterSide());
    shell.run(
        "ip",
        "-n",
        r,
        "route",
        "add",
        names.overlaySubnet(),
        "via",
        names.gatewayVtep(),
        "dev",
        GATEWAY_PORT);

    shell.run(
        "ip",
        "-n",
        g,
        "link",
        "add",
        GATEWAY_BRIDGE,
        "mtu",
        Integer.toString(OVERLAY_MTU),
        "type",
        "bridge");
    addVxlan(g, names.gatewayVtep(), GATEWAY_BRIDGE);
    shell.run(
        "ip",
        "-n",
        g,
        "addr",
        "add",
        names.overlayGateway() + "/" + LabNames.OVERLAY_PREFIX,
        "dev",
        GATEWAY_BRIDGE);
    shell.run("ip", "-n", g, "link", "set", GATEWAY_BRIDGE, "up");
    for (int i = 1; i <= hostCount; i++) {
      new NetworkGuard(shell).requireRoute(g, address(names.routedHostAddress(i)), GATEWAY_UPLINK);
      floodTo(g, names.routedHostAddress(i));
    }
  }

  /**
   * Namespace {@code ns}'s routed link to the router: a veth pair at the underlay MTU ({@code
   * uplink} in {@code ns}, {@code port} in the router), {@code routerSide} on the port, {@code
   * address} on the uplink, and a route to the lab's subnet only through the router. No default
   * route: nothing outside the lab is routable from {@code ns}, and a name lookup (libvirt resolves
   * its own host name during a migration) fails at once, as in the switched topology, instead of
   * sending a query into the router and waiting 5 s.
   */
  private void linkToRouter(
      String ns, String uplink, String address, String port, String routerSide) {
    String r = names.routerNamespace();
    shell.run(
        "ip",
        "link",
        "add",
        uplink,
        "netns",
        ns,
        "mtu",
        Integer.toString(UNDERLAY_MTU),
        "type",
        "veth",
        "peer",
        "name",
        port,
        "netns",
        r,
        "mtu",
        Integer.toString(UNDERLAY_MTU));
    shell.run(
        "ip", "-n", r, "addr", "add", routerSide + "/" + LabNames.ROUTED_HOST_PREFIX, "dev", port);
    shell.run("ip", "-n", r, "link", "set", port, "up");
    shell.run(
        "ip", "-n", ns, "addr", "add", address + "/" + LabNames.ROUTED_HOST_PREFIX, "dev", uplink);
    shell.run("ip", "-n", ns, "link", "set", uplink, "up");
    shell.run(
        "ip", "-n", ns, "route", "add", names.subnet() + ".0/24", "via", routerSide, "dev", uplink);
  }

  /** Host {@code i}'s namespace, its routed link to the router and its overlay VTEP. */
  void createHost(int i) {
    String ns = names.hostNamespace(i);
    namespaces.add(ns);
    linkToRouter(
        ns,
        names.hostUplink(i),
        names.routedHostAddress(i),
        names.switchPort(i),
        names.routedHostGateway(i));
    new NetworkGuard(shell)
        .requireRoute(null, address(names.routedHostAddress(i)), names.managementDevice());

    // the agent bridge carries no host address: agents reach nothing of the host through it
    shell.run(
        "ip",
        "-n",
        ns,
        "link",
        "add",
        AGENT_BRIDGE,
        "mtu",
        Integer.toString(OVERLAY_MTU),
        "type",
        "bridge");
    addVxlan(ns, names.routedHostAddress(i), AGENT_BRIDGE);
    shell.run("ip", "-n", ns, "link", "set", AGENT_BRIDGE, "up");
    List<String> peers = new ArrayList<>(List.of(names.gatewayVtep()));
    for (int j = 1; j <= hostCount; j++) {
      if (j != i) {
        peers.add(names.routedHostAddress(j));
      }
    }
    for (String peer : peers) {
      // tunnel traffic must leave through the host's own uplink to the router, never anywhere else
      new NetworkGuard(shell).requireRoute(ns, address(peer), names.hostUplink(i));
      floodTo(ns, peer);
    }
  }

  private void addVxlan(String ns, String local, String bridge) {
    // unicast VXLAN: no multicast group; remote VTEPs come from the static all-zero entries, MACs
    // are learned
    shell.run(
        "ip",
        "-n",
        ns,
        "link",
        "add",
        VXLAN_DEVICE,
        "mtu",
        Integer.toString(OVERLAY_MTU),
        "type",
        "vxlan",
        "id",
        Integer.toString(names.overlayVni()),
        "local",
        local,
        "dstport",
        Integer.toString(VXLAN_PORT));
    shell.run("ip", "-n", ns, "link", "set", VXLAN_DEVICE, "master", bridge, "up");
  }

  /** Head-end replication: broadcast and unknown frames are sent to {@code peer} too. */
  private void floodTo(String ns, String peer) {
    shell.run(
        "bridge", "-n", ns, "fdb", "append", "00:00:00:00:00:00", "dev", VXLAN_DEVICE, "dst", peer);
  }

  private static InetAddress address(String a) {
    try {
      return InetAddress.getByName(a);
    } catch (UnknownHostException e) {
      throw new TestbedException("not an address: " + a, e);
    }
  }
}
