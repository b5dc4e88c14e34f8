package io.spotnest.hosts.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The SSH sessions to a static cluster's overlay gateways, over which their flood lists are kept
 * current. Each is an {@link SshTunnel} like a host's (host key checked strictly on every connect
 * and reconnect, a dropped session re-established with backoff); its libvirt forward goes unused. A
 * gateway that cannot be reached, or whose tunnel gave up, is tried again by a later {@link
 * #connect()}, not before the {@link ReconnectPolicy}'s delay for its number of failed attempts
 * (after a refused host key, not before the policy's give-up time: only an admin can fix that).
 */
final class GatewayLinks implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(GatewayLinks.class.getName());

  private final List<SshHostConfig> gateways;
  private final Duration connectTimeout;
  private final Duration keepAlive;
  private final ReconnectPolicy reconnect;
  private final Path socketParent;
  private final Map<String, SshTunnel> tunnels = new LinkedHashMap<>();
  private final Map<String, String> lastFailure = new HashMap<>();
  private final Map<String, Integer> failedAttempts = new HashMap<>();
  private final Map<String, Long> notBefore = new HashMap<>(); // System.nanoTime()
  private final Object connecting = new Object(); // one connect() at a time
  private boolean closed;

  GatewayLinks(
      List<SshHostConfig> gateways,
      Duration connectTimeout,
      Duration keepAlive,
      ReconnectPolicy reconnect,
      Path socketParent) {
    this.gateways = List.copyOf(gateways);
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
    this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
    this.socketParent = Objects.requireNonNull(socketParent, "socketParent");
  }

  /**
   * Opens a session to every gateway that has none (or whose tunnel gave up), the handshakes
   * outside the lock ({@link #current()} does not wait for them). A failure is logged when it
   * differs from the gateway's previous one.
   */
  void connect() {
    synchronized (connecting) {
      openMissing();
    }
  }

  private void openMissing() {
    List<SshHostConfig> missing = new ArrayList<>();
    synchronized (this) {
      for (SshHostConfig g : gateways) {
        SshTunnel t = tunnels.get(g.name());
        Long wait = notBefore.get(g.name());
        if ((t == null || t.state() == TunnelState.LOST)
            && (wait == null || System.nanoTime() - wait >= 0)) {
          missing.add(g);
        }
      }
    }
    for (SshHostConfig g : missing) {
      SshTunnel fresh;
      try {
        fresh = SshTunnel.open(g, connectTimeout, keepAlive, reconnect, socketParent);
      } catch (SshConnectException e) {
        int attempts = failedAttempts.merge(g.name(), 1, Integer::sum);
        Duration wait =
            e instanceof SshHostKeyException
                ? reconnect.giveUpAfter()
                : reconnect.delayAfter(attempts);
        notBefore.put(g.name(), System.nanoTime() + wait.toNanos());
        if (!e.getMessage().equals(lastFailure.put(g.name(), e.getMessage()))) {
          LOG.log(
              System.Logger.Level.WARNING,
              "overlay gateway {0}: no SSH session, its flood list is not kept current: {1}",
              g.name(),
              e.getMessage());
        }
        continue;
      }
      lastFailure.remove(g.name());
      failedAttempts.remove(g.name());
      notBefore.remove(g.name());
      SshTunnel old;
      synchronized (this) {
        if (closed) {
          fresh.close();
          break;
        }
        old = tunnels.put(g.name(), fresh);
      }
      if (old != null) {
        old.close();
      }
      LOG.log(System.Logger.Level.INFO, "overlay gateway {0}: SSH session open", g.name());
    }
  }

  /** The sessions as they are, by gateway name; connects nothing. */
  synchronized Map<String, SshTunnel> current() {
    return Map.copyOf(tunnels);
  }

  /** Ends every gateway session; nothing is connected afterwards. */
  @Override
  public void close() {
    List<SshTunnel> open;
    synchronized (this) {
      closed = true;
      open = new ArrayList<>(tunnels.values());
      tunnels.clear();
    }
    open.forEach(SshTunnel::close);
  }
}
