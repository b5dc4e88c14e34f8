package io.spotnest.testbed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a lab host offers a static-host cloud besides its libvirtd: a real sshd in the host's
 * network namespace (throw-away host key, one authorized client key), and a DHCP server (busybox
 * udhcpd) for the agents on the overlay, in the overlay gateway's namespace. Every process started
 * here is stopped by {@link #close()}, by its own handle.
 */
public final class LabHostServices implements AutoCloseable {
  private final List<Process> started = new ArrayList<>();
  private final Path dir;

  public LabHostServices(Path dir) {
    this.dir = dir;
  }

  /**
   * A client key pair for the controller: {@code <keyDir>/<name>} (mode 600), its public half
   * authorized on every sshd started later.
   */
  public void clientKey(Path keyDir, String name) throws Exception {
    Files.createDirectories(keyDir);
    Path key = keyDir.resolve(name);
    SshKeys.generate(key, "spotnest-lab");
    Files.copy(key.resolveSibling(name + ".pub"), dir.resolve("authorized_keys"));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
  }

  /**
   * Starts sshd on {@code address}:22 in {@code namespace}; returns the known_hosts line for it.
   */
  public String sshd(String hostName, String namespace, String address) throws Exception {
    Path hostKey = dir.resolve(hostName + "-host-key");
    SshKeys.generate(hostKey, "spotnest-lab");
    Files.createDirectories(Path.of("/run/sshd"));
    Path config = dir.resolve(hostName + "-sshd_config");
    Files.writeString(
        config,
        String.join(
            "\n",
            "Port 22",
            "ListenAddress " + address,
            "HostKey " + hostKey,
            "PidFile " + dir.resolve(hostName + "-sshd.pid"),
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "PermitRootLogin prohibit-password",
            "UsePAM no",
            "StrictModes no",
            "AllowTcpForwarding yes",
            "AllowStreamLocalForwarding yes",
            "LogLevel VERBOSE",
            ""));
    Path log = dir.resolve(hostName + "-sshd.log");
    Process sshd =
        start(
            log,
            "ip",
            "netns",
            "exec",
            namespace,
            "/usr/sbin/sshd",
            "-D",
            "-e",
            "-f",
            config.toString());
    for (int i = 0; i < 100; i++) {
      if (!sshd.isAlive()) {
        throw new IllegalStateException("sshd exited: " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(address, 22), 200);
        String[] pub =
            Files.readString(hostKey.resolveSibling(hostName + "-host-key.pub")).split(" ");
        return address + " " + pub[0] + " " + pub[1].strip();
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("sshd did not listen on " + address + ":22");
  }

  /**
   * busybox udhcpd on {@code bridge} in {@code namespace}: leases {@code first}..{@code last} with
   * the given mask and router, for a day.
   */
  public void dhcp(
      String namespace, String bridge, String first, String last, String mask, String router)
      throws Exception {
    Path config = dir.resolve("udhcpd.conf");
    Path leases = dir.resolve("udhcpd.leases");
    Files.writeString(leases, "");
    Files.writeString(
        config,
        String.join(
            "\n",
            "start " + first,
            "end " + last,
            "interface " + bridge,
            "lease_file " + leases,
            "pidfile " + dir.resolve("udhcpd.pid"),
            "option subnet " + mask,
            "option router " + router,
            "option lease 86400",
            ""));
    Path log = dir.resolve("udhcpd.log");
    Process udhcpd =
        start(log, "ip", "netns", "exec", namespace, "busybox", "udhcpd", "-f", config.toString());
    Thread.sleep(500);
    if (!udhcpd.isAlive()) {
      throw new IllegalStateException("udhcpd exited: " + Files.readString(log));
    }
  }

  /**
   * The agents' DHCP on the lab's overlay (for an image that asks for {@code sn.ip=dhcp}), served
   * by the overlay gateway of a routed lab: guest addresses 1..20, the gateway as their router.
   */
  public void agentDhcp(LabNames names) throws Exception {
    dhcp(
        names.gatewayNamespace(),
        RoutedNetwork.GATEWAY_BRIDGE,
        names.guestAddress(1),
        names.guestAddress(20),
        "255.255.255.224",
        names.overlayGateway());
  }

  private Process start(Path log, String... command) throws IOException {
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(p);
    return p;
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : started) {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
