package io.spotnest.hosts.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.Pool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key auth, strict host keys and forwards against a real sshd in a network namespace. */
@Tag("lab")
class SshTunnelTest {
  private static final Pool POOL = new Pool("static-4c", "rack1");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final ReconnectPolicy FAST_RECONNECT =
      new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(2));

  @TempDir Path dir;
  private SshLab lab;

  @BeforeEach
  void start() throws Exception {
    SshLab.requirePrerequisites();
    lab = SshLab.start(dir);
  }

  @AfterEach
  void stop() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  private SshHostConfig config(Path knownHosts, Path key, LibvirtEndpoint libvirt) {
    return new SshHostConfig(
        "rack1-a", POOL, SshLab.HOST_ADDRESS, 22, "root", key, knownHosts, libvirt, null, null);
  }

  /** The lab host, its libvirt endpoint the listener on the host's own 127.0.0.1. */
  private SshHostConfig toTheLoopbackListener() {
    return config(
        lab.knownHosts(), lab.clientKey(), LibvirtEndpoint.tcp("127.0.0.1", SshLab.LOOPBACK_PORT));
  }

  /**
   * A tunnel to {@link #toTheLoopbackListener()} with 300 ms keep-alives that reconnects by {@link
   * #FAST_RECONNECT}, its socket under the test's folder.
   */
  private SshTunnel openReconnecting() throws Exception {
    return SshTunnel.open(
        toTheLoopbackListener(), TIMEOUT, Duration.ofMillis(300), FAST_RECONNECT, dir);
  }

  /** Opening a tunnel to the lab host as {@code key}, checking {@code knownHosts}, fails. */
  private SshConnectException refused(Path knownHosts, Path key) {
    return assertThrows(
        SshConnectException.class,
        () ->
            SshTunnel.open(
                config(knownHosts, key, LibvirtEndpoint.SYSTEM_SOCKET), TIMEOUT, TIMEOUT));
  }

  /** Waits (10 s at most) until {@code tunnel} is given up. */
  private static void awaitLost(SshTunnel tunnel) throws InterruptedException {
    for (int i = 0; i < 200 && tunnel.state() != TunnelState.LOST; i++) {
      Thread.sleep(50);
    }
  }

  @Test
  void tcpForwardReachesTheHostsOwnLoopback() throws Exception {
    lab.requireRoute();
    try (SshTunnel tunnel = SshTunnel.open(toTheLoopbackListener(), TIMEOUT, TIMEOUT)) {
      assertEquals("qemu+unix:///system?socket=" + tunnel.socket(), tunnel.libvirtUri().toString());
      String banner = firstLine(tunnel.socket());
      assertTrue(
          banner.startsWith("SSH-2.0-") && banner.contains(SshDaemon.BANNER_TAG),
          "the listener on the namespace's 127.0.0.1:"
              + SshLab.LOOPBACK_PORT
              + " answered: "
              + banner);
    }
  }

  @Test
  void unixSocketForwardReachesASocketOnTheHost() throws Exception {
    Path socket = dir.resolve("fake-libvirt.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread answer =
          new Thread(
              () -> {
                try (SocketChannel c = server.accept()) {
                  c.write(
                      ByteBuffer.wrap(
                          "hello-from-the-socket\n".getBytes(StandardCharsets.US_ASCII)));
                } catch (Exception ignored) {
                  // the test fails on the read below
                }
              });
      answer.start();
      lab.requireRoute();
      try (SshTunnel tunnel =
          SshTunnel.open(
              config(
                  lab.knownHosts(), lab.clientKey(), LibvirtEndpoint.unixSocket(socket.toString())),
              TIMEOUT,
              TIMEOUT)) {
        assertEquals("hello-from-the-socket", firstLine(tunnel.socket()));
      }
      answer.join(5_000);
    }
  }

  @Test
  void theForwardIsAUnixSocketOnlyThisUserCanOpenAndNoTcpListener() throws Exception {
    Set<String> before = TcpListeners.ofThisProcess();
    lab.requireRoute();
    Path socket;
    try (SshTunnel tunnel = SshTunnel.open(toTheLoopbackListener(), TIMEOUT, TIMEOUT)) {
      assertEquals(
          before,
          TcpListeners.ofThisProcess(),
          "TCP listeners of this JVM with the tunnel open (hex addr:port); was "
              + tunnel.libvirtUri());
      socket = tunnel.socket();
      assertEquals(
          "rwx------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
      assertEquals(System.getProperty("user.name"), Files.getOwner(socket.getParent()).getName());
      System.out.println(
          "libvirt socket "
              + socket
              + ": dir "
              + PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()))
              + ", socket "
              + PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))
              + ", TCP listeners added: none");

      assertEquals(
          7,
          curlUnixSocketAs("65534", socket),
          "user nobody cannot connect (curl exit 7: failed to connect)");
      assertTrue(curlUnixSocketAs(null, socket) != 7, "the controller's own user can (control)");
    }
    assertFalse(
        Files.exists(socket) || Files.exists(socket.getParent()),
        "socket and directory removed on close");
  }

  @Test
  void aDroppedSessionReconnectsBehindTheSameSocket() throws Exception {
    lab.requireRoute();
    try (SshTunnel tunnel = openReconnecting()) {
      URI uri = tunnel.libvirtUri();
      long start = System.nanoTime();
      lab.killSessions(); // sshd stays, the session's processes die: the connection is cut
      boolean dropped = false;
      for (int i = 0; i < 200 && tunnel.reconnects() == 0; i++) {
        dropped |= !tunnel.isConnected();
        Thread.sleep(50);
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(1, tunnel.reconnects(), "re-established once within 10 s");
      assertEquals(TunnelState.CONNECTED, tunnel.state());
      assertTrue(tunnel.isConnected());
      assertEquals(uri, tunnel.libvirtUri(), "same socket, same URI");
      assertTrue(
          firstLine(tunnel.socket()).contains(SshDaemon.BANNER_TAG), "the socket forwards again");
      System.out.println(
          "session cut -> re-established in "
              + ms
              + " ms (drop observed by the poll: "
              + dropped
              + ")");
    }
  }

  @Test
  void aReconnectChecksTheHostKeyAgain() throws Exception {
    lab.requireRoute();
    try (SshTunnel tunnel = openReconnecting()) {
      lab.restartSshdWithHostKey(
          "other_key"); // the session drops; the address now answers with another key
      awaitLost(tunnel);
      assertEquals(
          TunnelState.LOST,
          tunnel.state(),
          "a changed host key is never accepted, and not retried");
      assertEquals(0, tunnel.reconnects());
      assertTrue(
          tunnel.lastFailure().contains("its host key does NOT match"), tunnel.lastFailure());
      assertFalse(tunnel.isConnected());
    }
  }

  @Test
  void aHostThatStaysUnreachableIsLostAfterThePolicysLimit() throws Exception {
    lab.requireRoute();
    try (SshTunnel tunnel = openReconnecting()) {
      long start = System.nanoTime();
      lab.killAllInNamespace(); // sshd too: every attempt is refused
      awaitLost(tunnel);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(TunnelState.LOST, tunnel.state());
      assertTrue(
          tunnel
              .lastFailure()
              .startsWith("no SSH session for PT2S; last attempt: ssh host 'rack1-a'"),
          tunnel.lastFailure());
      assertTrue(ms >= 1_000, "kept trying for a while first: " + ms + " ms");
      System.out.println("unreachable host given up after " + ms + " ms: " + tunnel.lastFailure());
    }
  }

  private static String firstLine(Path socket) throws IOException {
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(Channels.newInputStream(c), StandardCharsets.US_ASCII))) {
      return in.readLine();
    }
  }

  /** curl's exit code connecting to the socket as {@code uid} (null: as this user). */
  private static int curlUnixSocketAs(String uid, Path socket) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (uid != null) {
      cmd.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups"));
    }
    cmd.addAll(
        List.of("curl", "-s", "-m", "3", "--unix-socket", socket.toString(), "http://libvirt/"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("curl did not finish");
    }
    return p.exitValue();
  }

  @Test
  void unknownHostKeyIsRefusedNamingTheHost() throws Exception {
    Path empty = dir.resolve("empty_known_hosts");
    Files.writeString(empty, "");
    lab.requireRoute();
    SshConnectException e = refused(empty, lab.clientKey());
    assertTrue(
        e.getMessage()
            .startsWith("ssh host 'rack1-a' (10.231.77.2:22): its host key is not in " + empty),
        e.getMessage());
  }

  @Test
  void changedHostKeyIsRefusedNamingTheHost() throws Exception {
    Path wrong = dir.resolve("wrong_known_hosts");
    lab.writeKnownHosts(wrong, "other_key.pub");
    lab.requireRoute();
    SshConnectException e = refused(wrong, lab.clientKey());
    assertTrue(
        e.getMessage()
            .startsWith("ssh host 'rack1-a' (10.231.77.2:22): its host key does NOT match"),
        e.getMessage());
    assertFalse(
        Files.readString(wrong)
            .contains(Files.readString(dir.resolve("host_key.pub")).split(" ")[1]),
        "the presented key was not added to known_hosts");
  }

  @Test
  void aKeyTheHostDoesNotAuthorizeIsRefused() throws Exception {
    lab.requireRoute();
    SshConnectException e = refused(lab.knownHosts(), dir.resolve("other_key"));
    assertTrue(
        e.getMessage().contains("'rack1-a'")
            && e.getMessage().contains("public-key authentication as 'root'"),
        e.getMessage());
  }
}
