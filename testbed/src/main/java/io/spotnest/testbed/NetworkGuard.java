package io.spotnest.testbed;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses any connection to a testbed address whose route does not go through a link the testbed
 * created. An address without such a route would leave through the machine's default route, which
 * must never happen.
 */
public final class NetworkGuard {

  private static final Pattern DEV = Pattern.compile("\\bdev (\\S+)");
  private final Shell shell;

  public NetworkGuard(Shell shell) {
    this.shell = shell;
  }

  /**
   * Checks, with {@code ip route get}, that traffic to {@code address} (seen from {@code
   * namespace}, or the root namespace when null) leaves through {@code expectedDevice}.
   *
   * @return the device the route names
   * @throws TestbedException when the route goes anywhere else
   */
  public String requireRoute(String namespace, InetAddress address, String expectedDevice) {
    if (!(address instanceof Inet4Address)) {
      throw new TestbedException(
          "testbed addresses are IPv4; refusing " + address.getHostAddress());
    }
    List<String> cmd = new ArrayList<>();
    if (namespace != null) {
      cmd.addAll(List.of("ip", "netns", "exec", namespace));
    }
    cmd.addAll(List.of("ip", "-4", "route", "get", address.getHostAddress()));
    Shell.Result r = shell.exec(cmd);
    String device = r.ok() ? device(r.stdout()) : null;
    if (device == null || !device.equals(expectedDevice)) {
      throw new TestbedException(
          "refusing to connect to "
              + address.getHostAddress()
              + (namespace == null ? "" : " from namespace " + namespace)
              + ": its route goes through "
              + (device == null ? "no device (" + r.stderr().strip() + ")" : device)
              + ", not the testbed link "
              + expectedDevice);
    }
    return device;
  }

  /**
   * Refuses a subnet a lab is about to claim when {@code namespace} (the root namespace when null)
   * already routes it, or any part of it, anywhere but by the default route: an address added on
   * top would hijack or shadow traffic meant for a real network. Called before any address in the
   * subnet is added.
   *
   * @param cidr an IPv4 prefix such as {@code 10.231.5.0/24}
   * @throws TestbedException naming the route that claims the subnet and what {@code ip route get}
   *     says of it
   */
  public void requireSubnetUnclaimed(String namespace, String cidr) {
    if (!cidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
      throw new IllegalArgumentException(
          "subnet must be an IPv4 prefix like 10.231.5.0/24, was " + cidr);
    }
    List<String> claims = new ArrayList<>();
    // routes covering the subnet (match) and routes inside it (root), in every table
    for (String selector : List.of("match", "root")) {
      Shell.Result r =
          shell.exec(
              inNamespace(
                  namespace, "ip", "-4", "-o", "route", "show", "table", "all", selector, cidr));
      if (!r.ok()) {
        throw new TestbedException("cannot list routes for " + cidr + ": " + r.stderr().strip());
      }
      r.stdout()
          .lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("default"))
          .filter(l -> !claims.contains(l))
          .forEach(claims::add);
    }
    if (!claims.isEmpty()) {
      String first = cidr.substring(0, cidr.indexOf('/'));
      Shell.Result get = shell.exec(inNamespace(namespace, "ip", "-4", "route", "get", first));
      throw new TestbedException(
          "refusing lab subnet "
              + cidr
              + (namespace == null ? "" : " in namespace " + namespace)
              + ": it is already routed ("
              + String.join("; ", claims)
              + "); ip route get "
              + first
              + ": "
              + (get.ok() ? get.stdout().strip() : get.stderr().strip()));
    }
  }

  private static List<String> inNamespace(String namespace, String... command) {
    List<String> cmd = new ArrayList<>();
    if (namespace != null) {
      cmd.addAll(List.of("ip", "netns", "exec", namespace));
    }
    cmd.addAll(List.of(command));
    return cmd;
  }

  static String device(String routeGetOutput) {
    Matcher m = DEV.matcher(routeGetOutput);
    return m.find() ? m.group(1) : null;
  }
}
