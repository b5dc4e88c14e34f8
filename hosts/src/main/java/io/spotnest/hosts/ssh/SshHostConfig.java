package io.spotnest.hosts.ssh;

import io.spotnest.hosts.Pool;
import java.nio.file.Path;
import java.util.Objects;
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
 */
public record SshHostConfig(
    String name,
    Pool pool,
    String address,
    int port,
    String user,
    Path privateKey,
    Path knownHosts,
    LibvirtEndpoint libvirt) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
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
  }
}
