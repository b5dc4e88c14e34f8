package io.spotnest.hosts.ssh;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.ChannelDirectStreamLocal;
import com.jcraft.jsch.ChannelDirectTCPIP;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.spotnest.hosts.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A local forward to libvirtd on a remote host that no other local user can open: a unix-domain
 * socket in a fresh directory of mode 0700 (the socket itself 0600), never a TCP port. Each
 * accepted connection becomes an SSH channel ({@code direct-streamlocal@openssh.com} to the remote
 * socket, or {@code direct-tcpip}) on whatever session is current, so the socket path outlives a
 * reconnect. Without a session, connections are closed at once.
 */
final class UnixSocketForward implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(UnixSocketForward.class.getName());
  static final String SOCKET_NAME = "libvirt-sock";

  private final Path dir;
  private final Path socket;
  private final ServerSocketChannel server;
  private final LibvirtEndpoint remote;
  private final Supplier<Session> session;
  private final int connectTimeoutMillis;
  private final Thread acceptor;

  /**
   * @param parent directory to create the private directory in (e.g. {@code java.io.tmpdir})
   * @param session the current session, or null while there is none
   */
  UnixSocketForward(
      Path parent,
      String name,
      LibvirtEndpoint remote,
      Supplier<Session> session,
      Duration connectTimeout)
      throws IOException {
    this.remote = Objects.requireNonNull(remote, "remote");
    this.session = Objects.requireNonNull(session, "session");
    this.connectTimeoutMillis = (int) connectTimeout.toMillis();
    this.dir =
        Files.createTempDirectory(
            parent,
            "spotnest-ssh-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    this.socket = dir.resolve(SOCKET_NAME);
    ServerSocketChannel s = null;
    try {
      s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      s.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | RuntimeException e) {
      if (s != null) {
        s.close();
      }
      deleteFiles();
      throw e;
    }
    this.server = s;
    this.acceptor = DaemonThreads.start("spotnest-ssh-forward-" + name, this::acceptLoop);
  }

  /** The socket libvirt connects to. */
  Path socket() {
    return socket;
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException closed) {
        return;
      }
      forward(client);
    }
  }

  private void forward(SocketChannel client) {
    Session current = session.get();
    try {
      if (current == null || !current.isConnected()) {
        throw new JSchException("no SSH session right now");
      }
      Channel channel;
      if (remote.isSocket()) {
        ChannelDirectStreamLocal c =
            (ChannelDirectStreamLocal) current.openChannel("direct-streamlocal@openssh.com");
        c.setSocketPath(remote.socketPath());
        channel = c;
      } else {
        ChannelDirectTCPIP c = (ChannelDirectTCPIP) current.openChannel("direct-tcpip");
        c.setHost(remote.tcpHost());
        c.setPort(remote.tcpPort());
        channel = c;
      }
      channel.setInputStream(SocketChannelStreams.input(client));
      channel.setOutputStream(SocketChannelStreams.output(client));
      channel.connect(connectTimeoutMillis);
    } catch (JSchException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "closing a local libvirt connection to {0}: {1}",
          remote,
          e.getMessage());
      try {
        client.close();
      } catch (IOException ignored) {
        // nothing more to do for this client
      }
    }
  }

  /**
   * Stops accepting and removes the socket and its directory. Open connections end with their
   * channels.
   */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "closing the libvirt socket listener failed", e);
    }
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteFiles();
  }

  private void deleteFiles() {
    try {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}
