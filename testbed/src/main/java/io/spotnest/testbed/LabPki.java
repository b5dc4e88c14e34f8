package io.spotnest.testbed;

import io.spotnest.pki.ClusterCa;
import io.spotnest.pki.IssuedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A lab's own certificate authority and the files each party of the lab needs for libvirt's TLS:
 * the controller's client certificate (a {@code pkipath} directory), and per host the daemon's
 * server certificate (its SAN is the host's lab address), the client certificate its daemon
 * presents to other hosts in peer-to-peer migration, and QEMU's certificates for TLS migration
 * streams. The CA key stays in memory and dies with the lab's JVM; every file is written 0600.
 */
final class LabPki {

  /** libvirtd's TLS port. */
  static final int TLS_PORT = 16514;

  /**
   * Where a host's certificates are, as its daemon sees them (its private {@code /etc/libvirt}).
   */
  static final String IN_HOST = "/etc/libvirt/pki";

  private static final Duration VALIDITY = Duration.ofDays(30);
  private final ClusterCa ca;

  LabPki(LabNames names) {
    this.ca = ClusterCa.create("lab" + names.index(), Clock.systemUTC(), VALIDITY);
  }

  /**
   * Writes the controller's {@code pkipath} directory ({@code cacert.pem}, {@code clientcert.pem},
   * {@code clientkey.pem}).
   */
  Path writeController(Path dir) {
    try {
      privateDir(dir);
      ca.writeCertificate(dir.resolve("cacert.pem"));
      ca.issueClient("controller", VALIDITY)
          .write(dir.resolve("clientcert.pem"), dir.resolve("clientkey.pem"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the lab controller's certificates to " + dir, e);
    }
  }

  /**
   * Writes a host's certificates under {@code <host dir>/etc/pki}, which its daemon sees as {@value
   * #IN_HOST}: {@code cacert.pem}, {@code servercert.pem}, {@code serverkey.pem} for libvirtd;
   * {@code peer/} as the {@code pkipath} of its outgoing peer-to-peer connections; {@code qemu/}
   * for TLS migration streams.
   */
  void writeHost(TestbedHost host) {
    Path pki = hostPkiDir(host);
    try {
      privateDir(pki);
      // one certificate per host, for server and client use: the host is the client in peer-to-peer
      // migration
      IssuedCertificate cert =
          ca.issueHost(host.name(), List.of(host.address(), host.name()), VALIDITY);
      ca.writeCertificate(pki.resolve("cacert.pem"));
      cert.write(pki.resolve("servercert.pem"), pki.resolve("serverkey.pem"));
      Path peer = privateDir(pki.resolve("peer"));
      ca.writeCertificate(peer.resolve("cacert.pem"));
      cert.write(peer.resolve("clientcert.pem"), peer.resolve("clientkey.pem"));
      Path qemu = privateDir(pki.resolve("qemu"));
      ca.writeCertificate(qemu.resolve("ca-cert.pem"));
      cert.write(qemu.resolve("server-cert.pem"), qemu.resolve("server-key.pem"));
      cert.write(qemu.resolve("client-cert.pem"), qemu.resolve("client-key.pem"));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the certificates of " + host.name() + " to " + pki, e);
    }
  }

  static Path hostPkiDir(TestbedHost host) {
    return host.dir().resolve("etc/pki");
  }

  /**
   * The URI the controller uses: TLS to the host's lab address with the controller's client
   * certificate.
   */
  static String controllerUri(String address, Path controllerPki) {
    return "qemu+tls://" + address + "/system?pkipath=" + controllerPki;
  }

  /**
   * The URI other hosts' daemons use: TLS with their own client certificate (same path in every
   * host's view).
   */
  static String peerUri(String address) {
    return "qemu+tls://" + address + "/system?pkipath=" + IN_HOST + "/peer";
  }

  private static Path privateDir(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    return dir;
  }
}
