package io.spotnest.hosts.ssh;

import io.spotnest.hosts.LabGate;
import io.spotnest.testbed.NetworkGuard;
import io.spotnest.testbed.Shell;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real sshd in a network namespace this test creates ({@code snssh*}, 10.231.77.0/24, one veth
 * into the root namespace), with throwaway keys. The route to the sshd is checked to go through
 * that veth before any connection. {@link #close()} kills every process in the namespace and
 * deletes it, also after a failed start.
 */
final class SshLab implements AutoCloseable {
  static final String ROOT_ADDRESS = "10.231.77.1";
  static final String HOST_ADDRESS = "10.231.77.2";
  static final int LOOPBACK_PORT = 2222;

  final Shell shell = new Shell();
  final Path dir;
  final String namespace;
  final String rootDevice;
  private final String hostDevice;
  private SshDaemon daemon;

  private SshLab(Path dir, String namespace, String rootDevice, String hostDevice) {
    this.dir = dir;
    this.namespace = namespace;
    this.rootDevice = rootDevice;
    this.hostDevice = hostDevice;
  }

  /** Skips without the prerequisites, except under CI=true, where it fails. */
  static void requirePrerequisites() {
    List<String> missing = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      missing.add("root (network namespaces)");
    }
    for (String tool : List.of("/usr/sbin/sshd", "/usr/bin/ssh-keygen", "/usr/sbin/ip")) {
      if (!Files.isExecutable(Path.of(tool))
          && !Files.isExecutable(Path.of(tool.replace("/usr/sbin", "/sbin")))) {
        missing.add(tool + " (Debian packages openssh-server, openssh-client, iproute2)");
      }
    }
    LabGate.requireOrSkip("SSH lab needs ", missing);
  }

  /** Creates the namespace and link, checks the route, generates keys and starts sshd. */
  static SshLab start(Path dir) throws Exception {
    String suffix =
        HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(1 << 16));
    SshLab lab = new SshLab(dir, "snssh" + suffix, "snsshr" + suffix, "snsshn" + suffix);
    try {
      lab.removeStaleNamespaces();
      lab.createNetwork();
      lab.daemon = SshDaemon.start(dir, lab.namespace, HOST_ADDRESS, LOOPBACK_PORT);
      return lab;
    } catch (Exception | Error e) {
      lab.close();
      throw e;
    }
  }

  /**
   * Namespaces of earlier runs that were killed before their teardown (none of their processes
   * left).
   */
  private void removeStaleNamespaces() {
    for (String line : shell.run("ip", "netns", "list").stdout().split("\n")) {
      String ns = line.trim().split("\\s+")[0];
      if (ns.matches("snssh[0-9a-f]{4}")
          && shell.run("ip", "netns", "pids", ns).stdout().isBlank()) {
        shell.exec(List.of("ip", "netns", "del", ns));
      }
    }
  }

  private void createNetwork() throws IOException {
    shell.run("ip", "netns", "add", namespace);
    shell.run(
        "ip",
        "link",
        "add",
        rootDevice,
        "type",
        "veth",
        "peer",
        "name",
        hostDevice,
        "netns",
        namespace);
    shell.run("ip", "addr", "add", ROOT_ADDRESS + "/24", "dev", rootDevice);
    shell.run("ip", "link", "set", rootDevice, "up");
    shell.run("ip", "-n", namespace, "link", "set", "lo", "up");
    shell.run("ip", "-n", namespace, "addr", "add", HOST_ADDRESS + "/24", "dev", hostDevice);
    shell.run("ip", "-n", namespace, "link", "set", hostDevice, "up");
    requireRoute();
  }

  /** Refuses unless traffic to the sshd goes through our veth (never the default route). */
  void requireRoute() throws IOException {
    new NetworkGuard(shell).requireRoute(null, InetAddress.getByName(HOST_ADDRESS), rootDevice);
  }

  Path knownHosts() {
    return daemon.knownHosts();
  }

  Path clientKey() {
    return daemon.clientKey();
  }

  void writeKnownHosts(Path file, String publicKeyFile) throws IOException {
    daemon.writeKnownHosts(file, publicKeyFile);
  }

  /** The sshd stays; only the sessions' processes die, as when a connection is cut. */
  void killSessions() throws InterruptedException {
    daemon.killSessions();
  }

  /**
   * sshd comes back with another host key (the machine was reinstalled, or someone is in the
   * middle).
   */
  void restartSshdWithHostKey(String keyName) throws Exception {
    requireRoute();
    daemon.restartWithHostKey(keyName);
  }

  /** Kills every process in the namespace (sshd and its per-session children): the host "dies". */
  void killAllInNamespace() throws InterruptedException {
    for (int attempt = 0; attempt < 50; attempt++) {
      List<String> pids =
          shell
              .exec(List.of("ip", "netns", "pids", namespace))
              .stdout()
              .lines()
              .map(String::trim)
              .filter(l -> !l.isEmpty())
              .toList();
      if (pids.isEmpty()) {
        return;
      }
      List<String> kill = new ArrayList<>(List.of("kill", "-9"));
      kill.addAll(pids);
      shell.exec(kill);
      Thread.sleep(50);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (daemon != null) {
      daemon.close();
    }
    if (shell.exec(List.of("ip", "netns", "list")).stdout().contains(namespace)) {
      killAllInNamespace();
      shell.exec(List.of("ip", "netns", "del", namespace));
    }
    shell.exec(
        List.of("ip", "link", "del", rootDevice)); // gone with the namespace already, normally
  }
}
