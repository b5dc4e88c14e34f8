package io.spotnest.hosts.ssh;

import io.spotnest.hosts.IpLiteral;
import java.net.InetAddress;

/**
 * Where libvirtd listens on the remote machine, as seen from its sshd: a unix socket (the default,
 * no network listener needed) or a TCP port on the host's loopback (never another address: the hop
 * from sshd on would carry libvirt's traffic outside the SSH tunnel).
 *
 * @param socketPath unix socket path, or null for TCP
 * @param tcpHost TCP host, or null for a socket
 * @param tcpPort TCP port (0 for a socket)
 */
public record LibvirtEndpoint(String socketPath, String tcpHost, int tcpPort) {
  /** libvirtd's read-write socket on Debian. */
  public static final LibvirtEndpoint SYSTEM_SOCKET = unixSocket("/var/run/libvirt/libvirt-sock");

  public LibvirtEndpoint {
    boolean socket = socketPath != null;
    if (socket == (tcpHost != null)) {
      throw new IllegalArgumentException(
          "libvirt: give either a unix socket path or a TCP host, not both or neither");
    }
    if (socket && !socketPath.startsWith("/")) {
      throw new IllegalArgumentException(
          "libvirt: socket path must be absolute, got '" + socketPath + "'");
    }
    if (!socket && !IpLiteral.parse(tcpHost).map(InetAddress::isLoopbackAddress).orElse(false)) {
      throw new IllegalArgumentException(
          "libvirt: the TCP host must be the host's loopback as an address (127.0.0.1 or ::1), got '"
              + tcpHost
              + "'");
    }
    if (!socket && (tcpPort < 1 || tcpPort > 65535)) {
      throw new IllegalArgumentException("libvirt: TCP port must be 1..65535, got " + tcpPort);
    }
  }

  public static LibvirtEndpoint unixSocket(String path) {
    return new LibvirtEndpoint(path, null, 0);
  }

  public static LibvirtEndpoint tcp(String host, int port) {
    return new LibvirtEndpoint(null, host, port);
  }

  /** Parses {@code unix:<path>} or {@code tcp:<host>:<port>}. */
  public static LibvirtEndpoint parse(String text) {
    if (text.startsWith("unix:")) {
      return unixSocket(text.substring(5));
    }
    if (text.startsWith("tcp:")) {
      int colon = text.lastIndexOf(':');
      if (colon <= 4) {
        throw new IllegalArgumentException(
            "libvirt: expected tcp:<host>:<port>, got '" + text + "'");
      }
      try {
        return tcp(text.substring(4, colon), Integer.parseInt(text.substring(colon + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("libvirt: port is not a number in '" + text + "'");
      }
    }
    throw new IllegalArgumentException(
        "libvirt: expected unix:<path> or tcp:<host>:<port>, got '" + text + "'");
  }

  public boolean isSocket() {
    return socketPath != null;
  }

  @Override
  public String toString() {
    return isSocket() ? "unix:" + socketPath : "tcp:" + tcpHost + ":" + tcpPort;
  }
}
