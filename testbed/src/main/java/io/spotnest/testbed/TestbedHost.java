package io.spotnest.testbed;

import java.nio.file.Path;

/**
 * One libvirt "host" of a lab: a network namespace with its own address, hostname, private libvirt
 * state and {@code libvirtd}.
 *
 * @param name host name (also its hostname inside the namespace)
 * @param namespace network namespace
 * @param address the host's address on the lab LAN
 * @param clientUri libvirt URI for the controller: {@code qemu+tls://<address>/system?pkipath=<the
 *     lab's controller certificates>}
 * @param peerUri libvirt URI other hosts' daemons use to reach this one (peer-to-peer migration):
 *     TLS, with the {@code pkipath} of the connecting daemon's own client certificate as that
 *     daemon sees its files
 * @param dir root of the host's private state, bind-mounted over libvirt's directories
 * @param memoryMib memory the host offers to guests
 */
public record TestbedHost(
    String name,
    String namespace,
    String address,
    String clientUri,
    String peerUri,
    Path dir,
    long memoryMib) {

  /**
   * Where a path inside the host's private {@code /var/lib/libvirt/images} lives in the root mount
   * namespace.
   */
  public Path imagesDir() {
    return dir.resolve("lib/images");
  }

  /**
   * Where the host's QEMUs keep file-backed guest memory (libvirt's {@code memory_backing_dir}): a
   * directory of the host's own on disk under the lab's work dir, removed with the lab. The path is
   * the same inside the host's mount namespace.
   */
  public Path memoryBackingDir() {
    return dir.resolve("ram");
  }

  /** The host's view of its images directory. */
  public static String imagesPathInHost() {
    return "/var/lib/libvirt/images";
  }

  /** Serial console log of a guest, as seen from the root mount namespace. */
  public Path serialLog(String vmName) {
    return dir.resolve("log/qemu/" + vmName + "-serial.log");
  }

  /** The daemon's unix socket (root only), reached through the bind-mounted run dir. */
  public String socketUri() {
    return "qemu+unix:///system?socket=" + dir.resolve("run/libvirt-sock");
  }

  public Path pidFile() {
    return dir.resolve("run/libvirtd.pid");
  }
}
