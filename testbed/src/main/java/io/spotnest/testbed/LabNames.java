package io.spotnest.testbed;

import java.util.regex.Pattern;

/**
 * Names and addresses of one lab (index {@code k}): every namespace, link and address a lab creates
 * is derived here, so that the janitor can recognise leftovers by name alone.
 */
public record LabNames(int index) {

  /** Lab indexes use the subnets 10.231.1.0/24 .. 10.231.60.0/24. */
  public static final int MIN_INDEX = 1;

  public static final int MAX_INDEX = 60;

  /** Every namespace a lab creates matches this. */
  public static final Pattern NAMESPACE = Pattern.compile("sn[lhg](\\d+)(x\\d+)?");

  public LabNames {
    if (index < MIN_INDEX || index > MAX_INDEX) {
      throw new IllegalArgumentException(
          "lab index must be " + MIN_INDEX + ".." + MAX_INDEX + ", was " + index);
    }
  }

  public String subnet() {
    return "10.231." + index;
  }

  /** The namespace holding the bridge that joins every host (the "LAN"). */
  public String switchNamespace() {
    return "snl" + index;
  }

  /** The veth end in the root namespace through which the controller reaches the lab. */
  public String managementDevice() {
    return "snm" + index;
  }

  public String managementPort() {
    return "snp" + index;
  }

  /** The controller's address (root namespace, on {@link #managementDevice()}). */
  public String controllerAddress() {
    return subnet() + ".254";
  }

  public String hostNamespace(int host) {
    return "snh" + index + "x" + host;
  }

  public String hostUplink(int host) {
    return "snu" + index + "x" + host;
  }

  public String switchPort(int host) {
    return "sns" + index + "x" + host;
  }

  public String hostAddress(int host) {
    return subnet() + "." + (10 + host);
  }

  /**
   * The fixed MAC address of host {@code host}'s bridge (which carries its lab address): locally
   * administered and lower than any guest tap's ({@code fe:...}), unique per lab and host. A bridge
   * left to choose takes the lowest MAC among its ports, so a guest's tap joining it could take
   * over the host's address (see {@link Testbed}).
   */
  public String hostBridgeMac(int host) {
    return String.format(java.util.Locale.ROOT, "02:53:4e:%02x:%02x:00", index, host);
  }

  // Routed topology (TestbedSpec.Topology.ROUTED), inside the same /24: the controller link
  // 10.231.L.252/30, the
  // overlay gateway's link 10.231.L.0/29, host i in 10.231.L.(8i)/29 (i = 1..8: .8 .. .71), the
  // agent overlay
  // 10.231.L.96/27.

  /** Prefix length of each host's own subnet in the routed topology. */
  public static final int ROUTED_HOST_PREFIX = 29;

  /** Prefix length of the controller's link to the router in the routed topology. */
  public static final int ROUTED_CONTROLLER_PREFIX = 30;

  /** Prefix length of the agent overlay (guests 1..26). */
  public static final int OVERLAY_PREFIX = 27;

  /**
   * The router namespace of the routed topology (the same name as the switch: a lab has one or the
   * other).
   */
  public String routerNamespace() {
    return switchNamespace();
  }

  /** The router's end of the controller link (routed topology). */
  public String routerControllerSide() {
    return subnet() + ".253";
  }

  /** Host {@code host}'s address in its own subnet (routed topology). */
  public String routedHostAddress(int host) {
    return subnet() + "." + (8 * host + 2);
  }

  /**
   * The router's address in host {@code host}'s subnet: the host's default gateway (routed
   * topology).
   */
  public String routedHostGateway(int host) {
    return subnet() + "." + (8 * host + 1);
  }

  /** Host {@code host}'s subnet, e.g. {@code 10.231.5.16/29} (routed topology). */
  public String routedHostSubnet(int host) {
    return subnet() + "." + (8 * host) + "/" + ROUTED_HOST_PREFIX;
  }

  /** The agent overlay's subnet. */
  public String overlaySubnet() {
    return subnet() + ".96/" + OVERLAY_PREFIX;
  }

  /**
   * The overlay gateway's address (gateway namespace, on the overlay bridge): the agents' default
   * route.
   */
  public String overlayGateway() {
    return subnet() + ".97";
  }

  /**
   * The namespace of the overlay gateway (routed topology): a VTEP joining the overlay to the
   * router.
   */
  public String gatewayNamespace() {
    return "sng" + index;
  }

  /** The router's address on the gateway's link (the gateway's default route). */
  public String gatewayRouterSide() {
    return subnet() + ".1";
  }

  /** The overlay gateway's address on its link to the router: its VXLAN tunnel endpoint. */
  public String gatewayVtep() {
    return subnet() + ".2";
  }

  /** The subnet of the gateway's link to the router. */
  public String gatewayLinkSubnet() {
    return subnet() + ".0/" + ROUTED_HOST_PREFIX;
  }

  /**
   * The overlay's VXLAN network identifier (each lab's overlay is in namespaces of its own anyway).
   */
  public int overlayVni() {
    return 4200 + index;
  }

  /** Guest {@code guest}'s address with prefix on the overlay (routed topology; guests 1..26). */
  public String overlayGuestCidr(int guest) {
    if (guest < 1 || guest > 26) {
      throw new IllegalArgumentException("overlay guest number must be 1..26, was " + guest);
    }
    return guestAddress(guest) + "/" + OVERLAY_PREFIX;
  }

  /** Address for guest number {@code guest} (1-based). */
  public String guestAddress(int guest) {
    if (guest < 1 || guest > 99) {
      throw new IllegalArgumentException("guest number must be 1..99, was " + guest);
    }
    return subnet() + "." + (100 + guest);
  }
}
