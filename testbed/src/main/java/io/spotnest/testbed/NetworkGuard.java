package io.spotnest.testbed;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses any connection to a testbed address whose route does not go through a link the testbed created.
 * An address without such a route would leave through the machine's default route, which must never happen.
 */
public final class NetworkGuard {

  private static final Pattern DEV = Pattern.compile("\\bdev (\\S+)");
  private final Shell shell;

  public NetworkGuard(Shell shell) {
    this.shell = shell;
  }

  /**
   * Checks, with {@code ip route get}, that traffic to {@code address} (seen from {@code namespace}, or the root
   * namespace when null) leaves through {@code expectedDevice}.
   *
   * @return the device the route names
   * @throws TestbedException when the route goes anywhere else
   */
  public String requireRoute(String namespace, InetAddress address, String expectedDevice) {
    if (!(address instanceof Inet4Address)) {
      throw new TestbedException("testbed addresses are IPv4; refusing " + address.getHostAddress());
    }
    List<String> cmd = new ArrayList<>();
    if (namespace != null) {
      cmd.addAll(List.of("ip", "netns", "exec", namespace));
    }
    cmd.addAll(List.of("ip", "-4", "route", "get", address.getHostAddress()));
    Shell.Result r = shell.exec(cmd);
    String device = r.ok() ? device(r.stdout()) : null;
    if (device == null || !device.equals(expectedDevice)) {
      throw new TestbedException("refusing to connect to " + address.getHostAddress()
          + (namespace == null ? "" : " from namespace " + namespace)
          + ": its route goes through " + (device == null ? "no device (" + r.stderr().strip() + ")" : device)
          + ", not the testbed link " + expectedDevice);
    }
    return device;
  }

  static String device(String routeGetOutput) {
    Matcher m = DEV.matcher(routeGetOutput);
    return m.find() ? m.group(1) : null;
  }
}
