package io.spotnest.hosts.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.spotnest.hosts.DaemonThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An SSH session to one static host with a forward from a local unix-domain socket (only this user
 * can open it, see {@link UnixSocketForward}) to the host's libvirtd. The migration engine connects
 * to {@link #libvirtUri()}. A watcher thread notices a dropped session and re-establishes it with
 * backoff ({@link ReconnectPolicy}), checking the host key again each time; the socket path, and so
 * the URI, stays the same. A refused host key, or no session within the policy's limit, makes the
 * tunnel {@link TunnelState#LOST}.
 */
public final class SshTunnel implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SshTunnel.class.getName());

  private final SshHostConfig host;
  private final SshConnector connector;
  private final ReconnectPolicy reconnect;
  private final Duration checkEvery;
  private final UnixSocketForward forward;
  private final Thread watcher;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private volatile Session session;
  private volatile TunnelState state = TunnelState.CONNECTED;
  private volatile String lastFailure;
  private volatile int reconnects;

  private SshTunnel(
      SshHostConfig host,
      SshConnector connector,
      Session session,
      ReconnectPolicy reconnect,
      Duration checkEvery,
      Path socketParent,
      Duration connectTimeout)
      throws IOException {
    this.host = host;
    this.connector = connector;
    this.session = session;
    this.reconnect = reconnect;
    this.checkEvery = checkEvery;
    this.forward =
        new UnixSocketForward(
            socketParent, host.name(), host.libvirt(), () -> this.session, connectTimeout);
    this.watcher = DaemonThreads.start("spotnest-ssh-" + host.name(), this::watch);
  }

  /**
   * {@link #open(SshHostConfig, Duration, Duration, ReconnectPolicy, Path)} with the standard
   * policy, socket under java.io.tmpdir.
   */
  public static SshTunnel open(SshHostConfig host, Duration connectTimeout, Duration keepAlive) {
    return open(
        host,
        connectTimeout,
        keepAlive,
        ReconnectPolicy.STANDARD,
        Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * Connects and opens the forward.
   *
   * @param keepAlive interval of SSH keep-alives (after 3 unanswered the session counts as
   *     dropped); the session is checked this often, at least every second
   * @param socketParent where the private directory holding the local socket is created
   * @throws SshConnectException naming the host when the key is unknown or changed, auth fails, or
   *     it is unreachable
   */
  public static SshTunnel open(
      SshHostConfig host,
      Duration connectTimeout,
      Duration keepAlive,
      ReconnectPolicy reconnect,
      Path socketParent) {
    SshConnector connector = new SshConnector(host, connectTimeout, keepAlive);
    Session session = connector.connect();
    try {
      Duration check =
          keepAlive.compareTo(Duration.ofSeconds(1)) < 0 ? keepAlive : Duration.ofSeconds(1);
      return new SshTunnel(
          host, connector, session, reconnect, check, socketParent, connectTimeout);
    } catch (IOException | RuntimeException e) {
      session.disconnect();
      throw new SshConnectException(
          connector.where()
              + ": cannot create the local libvirt socket under "
              + socketParent
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private void watch() {
    while (sleep(checkEvery)) {
      if (session.isConnected()) {
        continue;
      }
      state = TunnelState.RECONNECTING;
      LOG.log(
          System.Logger.Level.WARNING, "{0}: SSH session dropped; reconnecting", connector.where());
      if (!reestablish()) {
        return;
      }
    }
  }

  /** True when a new session is up; false when closed or given up (state LOST). */
  private boolean reestablish() {
    long deadline = System.nanoTime() + reconnect.giveUpAfter().toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        Session fresh = connector.connect();
        lock.lock();
        try {
          if (state == TunnelState.CLOSED) {
            fresh.disconnect();
            return false;
          }
          session = fresh;
          state = TunnelState.CONNECTED;
          reconnects++;
        } finally {
          lock.unlock();
        }
        LOG.log(
            System.Logger.Level.INFO,
            "{0}: SSH session re-established (attempt {1})",
            connector.where(),
            attempt);
        return true;
      } catch (SshHostKeyException e) {
        return giveUp(e.getMessage());
      } catch (SshConnectException e) {
        lastFailure = e.getMessage();
        Duration delay = reconnect.delayAfter(attempt);
        if (System.nanoTime() + delay.toNanos() > deadline) {
          return giveUp(
              "no SSH session for "
                  + reconnect.giveUpAfter()
                  + "; last attempt: "
                  + e.getMessage());
        }
        LOG.log(
            System.Logger.Level.INFO,
            "{0}: reconnect attempt {1} failed, next in {2} ms: {3}",
            connector.where(),
            attempt,
            delay.toMillis(),
            e.getMessage());
        if (!sleep(delay)) {
          return false;
        }
      }
    }
  }

  private boolean giveUp(String why) {
    lock.lock();
    try {
      lastFailure = why;
      if (state != TunnelState.CLOSED) {
        state = TunnelState.LOST;
      }
    } finally {
      lock.unlock();
    }
    LOG.log(System.Logger.Level.WARNING, "{0}: giving up: {1}", connector.where(), why);
    return false;
  }

  /** Waits, or returns false at once when closed. */
  private boolean sleep(Duration d) {
    lock.lock();
    try {
      long left = d.toNanos();
      while (state != TunnelState.CLOSED && left > 0) {
        left = wake.awaitNanos(left);
      }
      return state != TunnelState.CLOSED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code command} on the host over the current session (an exec channel, no terminal, no
   * input) and waits at most {@code timeout} for its exit status. Its stdout is discarded. Never
   * throws: a session that is down, or a command that does not end in time, gives exit status -1.
   * The command line is visible in the host's process list: never put a secret in it.
   */
  RemoteRun run(String command, Duration timeout) {
    ChannelExec channel = null;
    try {
      channel = (ChannelExec) session.openChannel("exec");
      channel.setCommand(command);
      channel.setInputStream(null);
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();
      channel.setErrStream(stderr);
      InputStream stdout = channel.getInputStream();
      long until = System.nanoTime() + timeout.toNanos();
      channel.connect((int) Math.max(1, timeout.toMillis()));
      byte[] discard = new byte[4096];
      while (!channel.isClosed() || stdout.available() > 0) {
        while (stdout.available() > 0 && stdout.read(discard) >= 0) {
          // stdout is not needed
        }
        if (System.nanoTime() > until) {
          return new RemoteRun(-1, "no exit status within " + timeout);
        }
        if (!channel.isClosed()) {
          Thread.sleep(20);
        }
      }
      return new RemoteRun(channel.getExitStatus(), stderr.toString());
    } catch (JSchException | IOException e) {
      return new RemoteRun(-1, "cannot run it: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new RemoteRun(-1, "interrupted");
    } finally {
      if (channel != null) {
        channel.disconnect();
      }
    }
  }

  /** The local unix socket libvirt connects to. */
  public Path socket() {
    return forward.socket();
  }

  /** libvirt URI through the tunnel: {@code qemu+unix:///system?socket=<local socket>}. */
  public URI libvirtUri() {
    return URI.create("qemu+unix:///system?socket=" + forward.socket());
  }

  /** True while a session is up. */
  public boolean isConnected() {
    return session.isConnected();
  }

  public TunnelState state() {
    return state;
  }

  /** How many times a dropped session was re-established. */
  public int reconnects() {
    return reconnects;
  }

  /** Why the last connection attempt failed, or null. */
  public String lastFailure() {
    return lastFailure;
  }

  public SshHostConfig host() {
    return host;
  }

  /** Stops reconnecting, removes the local socket (synchronously), then ends the session. */
  @Override
  public void close() {
    lock.lock();
    try {
      state = TunnelState.CLOSED;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    forward.close();
    try {
      watcher.join(TimeUnit.SECONDS.toMillis(5) + checkEvery.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    session.disconnect();
  }
}
