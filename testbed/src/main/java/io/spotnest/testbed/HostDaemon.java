package io.spotnest.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Configures and starts one host's {@code libvirtd}: inside the host's network namespace and a
 * private mount namespace whose bind mounts give it its own config, run, state, log and cache
 * directories, a distinct {@code host_uuid} (libvirt refuses to migrate "to the same host"
 * otherwise), a config written from scratch, and TCP listening only for TLS ({@link LabPki}) on the
 * host's lab address.
 */
final class HostDaemon {

  private static final java.time.Duration TLS_ANSWER_WITHIN = java.time.Duration.ofSeconds(30);

  private static final String[][] BIND = {
    {"etc", "/etc/libvirt"},
    {"run", "/run/libvirt"},
    {"lib", "/var/lib/libvirt"},
    {"log", "/var/log/libvirt"},
    {"cache", "/var/cache/libvirt"},
  };

  private final Shell shell;

  HostDaemon(Shell shell) {
    this.shell = shell;
  }

  /**
   * Writes the host's whole {@code /etc/libvirt} from scratch: nothing of the machine's own libvirt
   * config (its domains, networks, autostart links, hooks) is copied, so a lab daemon starts
   * exactly as configured here.
   */
  void writeConfig(TestbedHost host, LabPki pki, LabLogs logs) {
    Path d = host.dir();
    try {
      for (String[] b : BIND) {
        Files.createDirectories(d.resolve(b[0]));
      }
      Files.createDirectories(d.resolve("lib/qemu"));
      Files.createDirectories(d.resolve("lib/images"));
      Files.createDirectories(d.resolve("log/qemu"));
      Files.createDirectories(host.memoryBackingDir());
      pki.writeHost(host);
      String in = LabPki.IN_HOST;
      Files.writeString(
          d.resolve("etc/libvirtd.conf"),
          String.join(
              "\n",
              "# written by the SpotNest testbed; reachable over TCP only through TLS with a client certificate of",
              "# the lab's own CA, or through the unix socket (root only)",
              "listen_tls = 1",
              "listen_tcp = 0",
              "listen_addr = \"" + host.address() + "\"",
              "tls_port = \"" + LabPki.TLS_PORT + "\"",
              "ca_file = \"" + in + "/cacert.pem\"",
              "cert_file = \"" + in + "/servercert.pem\"",
              "key_file = \"" + in + "/serverkey.pem\"",
              "tls_no_verify_certificate = 0",
              "auth_tls = \"none\"",
              "auth_unix_rw = \"none\"",
              "auth_unix_ro = \"none\"",
              "unix_sock_rw_perms = \"0700\"",
              "unix_sock_ro_perms = \"0700\"",
              "unix_sock_admin_perms = \"0700\"",
              "host_uuid = \"" + UUID.randomUUID() + "\"",
              String.join("\n", logs.daemonConfig()),
              "# libvirt's default keepalive (a silent client is dropped after about 30 s, well within a test's",
              "# deadline for a move): pings are answered by the peer's event loop, not its busy workers",
              "keepalive_interval = 5",
              "keepalive_count = 5",
              ""));
      Files.writeString(
          d.resolve("etc/qemu.conf"),
          String.join(
              "\n",
              "user = \"root\"",
              "group = \"root\"",
              "dynamic_ownership = 0",
              "remember_owner = 0",
              "security_driver = \"none\"",
              "cgroup_controllers = [ ]",
              "namespaces = [ ]",
              "stdio_handler = \"file\"",
              "# file-backed guest memory (a standing copy's standby): on disk in the host's own dir, not tmpfs",
              "memory_backing_dir = \"" + host.memoryBackingDir() + "\"",
              "migration_address = \"" + host.address() + "\"",
              "migration_host = \"" + host.address() + "\"",
              "migration_port_min = 49152",
              "migration_port_max = 49215",
              "# TLS migration streams (VIR_MIGRATE_TLS): both QEMUs present lab certificates, each checks the other's",
              "default_tls_x509_cert_dir = \"" + in + "/qemu\"",
              "default_tls_x509_verify = 1",
              "migrate_tls_x509_cert_dir = \"" + in + "/qemu\"",
              "migrate_tls_x509_verify = 1",
              "# refuse any migration without VIR_MIGRATE_TLS (the engine always passes it)",
              "migrate_tls_force = 1",
              "# peer-to-peer migration connections: libvirt's default, a silent peer is given up after about 30 s",
              "# (10 s x 12 let a dead connection outlast a test's 120 s deadline for a move)",
              "keepalive_interval = 5",
              "keepalive_count = 5",
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write libvirt config for " + host.name(), e);
    }
  }

  /** Starts the daemon and returns once its unix socket answers. */
  ProcessRecord start(TestbedHost host) {
    StringBuilder script = new StringBuilder("set -e\nhostname " + host.name() + "\n");
    for (String[] b : BIND) {
      script
          .append("mkdir -p ")
          .append(b[1])
          .append("\nmount --bind ")
          .append(host.dir().resolve(b[0]))
          .append(' ')
          .append(b[1])
          .append('\n');
    }
    script
        .append("exec /usr/sbin/libvirtd -d --listen -p /run/libvirt/libvirtd.pid </dev/null >>")
        .append(host.dir().resolve("log/libvirtd.stderr"))
        .append(" 2>&1\n");
    shell.run(
        "ip",
        "netns",
        "exec",
        host.namespace(),
        "unshare",
        "-m",
        "-u",
        "--propagation",
        "private",
        "sh",
        "-c",
        script.toString());
    Path sock = host.dir().resolve("run/libvirt-sock");
    for (int i = 0; i < 200; i++) {
      if (Files.exists(sock) && Files.exists(host.pidFile())) {
        Shell.Result r = shell.exec(List.of("virsh", "-q", "-c", host.socketUri(), "uri"));
        if (r.ok()) {
          requireTls(host);
          return pid(host);
        }
      }
      Pause.millis(50);
    }
    throw new TestbedException(
        "libvirtd of "
            + host.name()
            + " did not come up; see "
            + host.dir().resolve("log/libvirtd.stderr")
            + " and "
            + host.dir().resolve("log/libvirtd.log"));
  }

  /**
   * Fails unless the controller's TLS URI answers (certificates, SAN and listener all right) within
   * 30 s: the path to a just-made namespace can take seconds to answer on a loaded machine (seen
   * once: "No route to host" while the neighbour entry was still being resolved).
   */
  private void requireTls(TestbedHost host) {
    long giveUp = System.nanoTime() + TLS_ANSWER_WITHIN.toNanos();
    Shell.Result r = shell.exec(List.of("virsh", "-q", "-c", host.clientUri(), "uri"));
    while (!r.ok() && System.nanoTime() < giveUp) {
      Pause.millis(500);
      r = shell.exec(List.of("virsh", "-q", "-c", host.clientUri(), "uri"));
    }
    if (!r.ok()) {
      throw new TestbedException(
          "libvirtd of "
              + host.name()
              + " does not answer TLS at "
              + host.clientUri()
              + ": "
              + r.stderr().strip());
    }
  }

  /**
   * Probes the QEMU capabilities once (3–4 s on a fresh daemon) and defines the default storage
   * pool over the host's images directory.
   */
  void warmUp(TestbedHost host) {
    shell.run("virsh", "-q", "-c", host.socketUri(), "domcapabilities", "--virttype", "qemu");
    shell.run(
        "virsh",
        "-q",
        "-c",
        host.socketUri(),
        "pool-define-as",
        "default",
        "dir",
        "--target",
        TestbedHost.imagesPathInHost());
    shell.run("virsh", "-q", "-c", host.socketUri(), "pool-start", "default");
  }

  ProcessRecord pid(TestbedHost host) {
    try {
      long pid = Long.parseLong(Files.readString(host.pidFile()).trim());
      return ProcessRecord.of(pid)
          .orElseThrow(
              () ->
                  new TestbedException("libvirtd of " + host.name() + " exited right after start"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
