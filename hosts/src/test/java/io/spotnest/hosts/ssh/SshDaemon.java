package io.spotnest.hosts.ssh;

import io.spotnest.testbed.Shell;
import io.spotnest.testbed.SshKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real sshd ({@code sshd -D}) started inside a network namespace, listening on one address there
 * (port 22) and on the namespace's loopback, with throwaway host and client keys and a known_hosts
 * file that trusts it.
 */
final class SshDaemon implements AutoCloseable {
  static final String BANNER_TAG = "spotnest-ssh-test";

  private final Shell shell = new Shell();
  private final Path dir;
  private final String address;
  private String namespace;
  private int loopbackPort;
  private Process sshd;

  private SshDaemon(Path dir, String address) {
    this.dir = dir;
    this.address = address;
  }

  /** The caller has checked the route to {@code address} already. */
  static SshDaemon start(Path dir, String namespace, String address, int loopbackPort)
      throws Exception {
    SshDaemon d = new SshDaemon(dir, address);
    try {
      d.createKeys();
      d.namespace = namespace;
      d.loopbackPort = loopbackPort;
      d.startSshd("host_key");
      return d;
    } catch (Exception | Error e) {
      d.close();
      throw e;
    }
  }

  private void createKeys() throws IOException {
    keygen("host_key");
    keygen("client_key");
    keygen("other_key");
    Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
    writeKnownHosts(knownHosts(), "host_key.pub");
  }

  void keygen(String name) {
    SshKeys.generate(dir.resolve(name), name);
  }

  /** Writes a known_hosts file trusting {@code publicKeyFile} for the sshd address. */
  void writeKnownHosts(Path file, String publicKeyFile) throws IOException {
    String[] pub = Files.readString(dir.resolve(publicKeyFile)).trim().split("\\s+");
    Files.writeString(file, address + " " + pub[0] + " " + pub[1] + "\n");
  }

  /** Kills every per-connection sshd process (the sessions drop); the listener keeps accepting. */
  void killSessions() throws InterruptedException {
    for (ProcessHandle h : sshd.descendants().toList()) {
      h.destroyForcibly();
    }
    for (int i = 0; i < 100 && sshd.descendants().findAny().isPresent(); i++) {
      Thread.sleep(20);
    }
  }

  /** Restarts sshd (dropping every session) presenting another host key, e.g. {@code other_key}. */
  void restartWithHostKey(String keyName) throws Exception {
    close();
    startSshd(keyName);
  }

  private void startSshd(String hostKey) throws Exception {
    Files.createDirectories(Path.of("/run/sshd"));
    Path config = dir.resolve("sshd_config");
    Files.writeString(
        config,
        String.join(
            "\n",
            "Port 22",
            "ListenAddress " + address,
            "ListenAddress 127.0.0.1:" + loopbackPort,
            "HostKey " + dir.resolve(hostKey),
            "PidFile " + dir.resolve("sshd.pid"),
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "PermitRootLogin prohibit-password",
            "UsePAM no",
            "StrictModes no",
            "AllowTcpForwarding yes",
            "AllowStreamLocalForwarding yes",
            "VersionAddendum " + BANNER_TAG,
            "LogLevel VERBOSE",
            ""));
    sshd =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                namespace,
                "/usr/sbin/sshd",
                "-D",
                "-e",
                "-f",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sshd.log").toFile())
            .start();
    for (int i = 0; i < 100; i++) {
      if (!sshd.isAlive()) {
        throw new IllegalStateException(
            "sshd exited: " + Files.readString(dir.resolve("sshd.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(address, 22), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        "sshd did not listen on " + address + ":22: " + Files.readString(dir.resolve("sshd.log")));
  }

  Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  Path clientKey() {
    return dir.resolve("client_key");
  }

  @Override
  public void close() throws InterruptedException {
    if (sshd != null) {
      sshd.descendants().forEach(ProcessHandle::destroyForcibly);
      sshd.destroyForcibly();
      sshd.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
