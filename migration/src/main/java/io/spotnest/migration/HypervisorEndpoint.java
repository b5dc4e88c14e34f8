package io.spotnest.migration;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * One host's libvirt, as the migration engine sees it.
 *
 * @param name host name, unique in a cluster
 * @param clientUri URI the controller connects with (TLS or SSH outside the testbed)
 * @param peerUri URI other hosts' daemons use for peer-to-peer migration to this host
 * @param capacityMib memory this host offers to agent VMs
 */
public record HypervisorEndpoint(String name, String clientUri, String peerUri, long capacityMib) {

  public HypervisorEndpoint {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException(
          "host name must be 1-63 letters, digits, '.', '_' or '-', was '" + name + "'");
    }
    requireLibvirtUri("clientUri", name, clientUri);
    requireLibvirtUri("peerUri", name, peerUri);
    if (capacityMib <= 0) {
      throw new IllegalArgumentException(
          "host " + name + " capacityMib must be positive, was " + capacityMib);
    }
  }

  private static void requireLibvirtUri(String field, String host, String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("host " + host + " " + field + " is missing");
    }
    URI u;
    try {
      u = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "host " + host + " " + field + " is not a valid URI: " + e.getMessage());
    }
    String scheme = u.getScheme();
    // never qemu+tcp: libvirtd's plain TCP listener is unauthenticated and unencrypted
    if (scheme == null || !scheme.matches("qemu(\\+(unix|tls|ssh|libssh|libssh2))?")) {
      throw new IllegalArgumentException(
          "host "
              + host
              + " "
              + field
              + " must be a qemu libvirt URI over TLS, SSH or a unix socket "
              + "(qemu+tls://host/system, qemu+ssh://..., qemu+unix:///system?socket=...), was "
              + uri);
    }
    if (!"/system".equals(u.getPath())) {
      throw new IllegalArgumentException(
          "host " + host + " " + field + " must name the /system driver, was " + uri);
    }
    if (scheme.matches("qemu\\+(tls|ssh|libssh|libssh2)")
        && (u.getHost() == null || u.getHost().isBlank())) {
      throw new IllegalArgumentException(
          "host " + host + " " + field + " has no host name: " + uri);
    }
  }
}
