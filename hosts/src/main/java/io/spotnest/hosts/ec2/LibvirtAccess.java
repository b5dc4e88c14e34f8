package io.spotnest.hosts.ec2;

import java.net.URI;

/**
 * How the controller reaches libvirtd on an EC2 host; the host setup configures the matching
 * listener.
 */
public enum LibvirtAccess {
  /** libvirtd listens with TLS (client certificates) on 16514. */
  TLS,
  /**
   * libvirtd listens on its unix socket only; the controller tunnels through SSH as user {@code
   * spotnest}.
   */
  SSH;

  /** The libvirt URI for a host at {@code address}. */
  public URI uriFor(String address) {
    return URI.create(
        this == TLS
            ? "qemu+tls://" + address + "/system"
            : "qemu+ssh://spotnest@" + address + "/system");
  }

  /** Value used in config files and by the host setup script. */
  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
