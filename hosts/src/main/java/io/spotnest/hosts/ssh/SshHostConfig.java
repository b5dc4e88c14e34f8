package io.spotnest.hosts.ssh;

import io.spotnest.hosts.IpLiteral;
import io.spotnest.hosts.Pool;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One static machine reached over SSH.
 *
 * @param name host id (unique)
 * @param pool its size class and site, e.g. {@code static-32c@rack1}
 * @param address IP address or DNS name of its sshd
 * @param port sshd port
 * @param user login user (needs access to libvirtd's socket, e.g. group libvirt)
 * @param privateKey client private key file (key auth only)
 * @param knownHosts known_hosts file the host key must be in
 * @param libvirt where libvirtd listens on the machine
 * @param peerUri the libvirt URI other hosts' daemons migrate to this one with (peer to peer), or
 *     null for {@code qemu+ssh://<user>@<address>:<port>/system}; e.g. {@code
 *     qemu+tls://<address>/system} where the hosts' libvirtd listen on TLS with the cluster's
 *     certificates
 * @param vtep the IPv4 address its VXLAN endpoint is bound to (the {@code vtep=} field), or null
 *     for the SSH address when that is an IPv4 address; see {@link #underlay()}
 */
public record SshHostConfig(
    String name,
    Pool pool,
    String address,
    int port,
    String user,
    Path privateKey,
    Path knownHosts,
    LibvirtEndpoint libvirt,
    String peerUri,
    String vtep) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  // TLS or SSH only: qemu+tcp:// is libvirtd's unauthenticated TCP listener
  private static final Pattern PEER =
      Pattern.compile("qemu\\+(tls|ssh)://[^\\s]+/system(\\?\\S*)?");
  private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

  public SshHostConfig {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name: expected 1-63 of [A-Za-z0-9._-], got '" + name + "'");
    }
    Objects.requireNonNull(pool, "pool");
    if (address == null || address.isBlank() || address.contains(" ")) {
      throw new IllegalArgumentException(
          "address: expected an IP address or host name, got '" + address + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: expected 1..65535, got " + port);
    }
    if (user == null || !USER.matcher(user).matches()) {
      throw new IllegalArgumentException("user: expected a login name, got '" + user + "'");
    }
    Objects.requireNonNull(privateKey, "key");
    Objects.requireNonNull(knownHosts, "known_hosts");
    Objects.requireNonNull(libvirt, "libvirt");
    if (peerUri != null && !PEER.matcher(peerUri).matches()) {
      throw new IllegalArgumentException(
          "peer: expected a libvirt URI over TLS or SSH such as qemu+tls://<address>/system,"
              + " got '"
              + peerUri
              + "'");
    }
    if (vtep != null && !IpLiteral.is(vtep)) {
      throw new IllegalArgumentException("vtep: expected an IP address, got '" + vtep + "'");
    }
    if (vtep != null && !IpLiteral.isIpv4(vtep)) {
      // spotnest-overlay-peers and setup-host.sh take IPv4 only: every check would exit 2
      throw new IllegalArgumentException(
          "vtep: host "
              + name
              + ": '"
              + vtep
              + "' is an IPv6 address; the overlay's VXLAN endpoints are IPv4 only");
    }
  }

  /**
   * The host's underlay (VTEP) address: {@code vtep}, else the SSH address when that is an IPv4
   * address, else none (a DNS name is never resolved for it; the overlay is IPv4 only).
   */
  public Optional<String> underlay() {
    if (vtep != null) {
      return Optional.of(vtep);
    }
    return IpLiteral.isIpv4(address) ? Optional.of(address) : Optional.empty();
  }

  /** The URI other hosts' daemons migrate to this host with. */
  public URI peer() {
    if (peerUri != null) {
      return URI.create(peerUri);
    }
    return URI.create(
        "qemu+ssh://"
            + user
            + "@"
            + (address.contains(":") ? "[" + address + "]" : address)
            + ":"
            + port
            + "/system");
  }
}
