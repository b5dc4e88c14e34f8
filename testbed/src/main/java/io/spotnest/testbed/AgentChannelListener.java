package io.spotnest.testbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The controller side of the test guest's agent channel (a stand-in for the Jenkins remoting
 * connection): accepts the guests' TCP connections on the lab's controller address and records
 * every line each connection carries. The build's heartbeats ({@code BEAT <seq>}, every 10 ms) are
 * not kept as lines: their arrival times go to a {@link HeartbeatLog} per connection, from which
 * the pause the build saw is read.
 */
public final class AgentChannelListener implements AutoCloseable {

  /** One line received, with the connection it came on and when (monotonic nanos). */
  public record Line(int connection, String text, long receivedNanos) {}

  /** One accepted connection. */
  public record Connection(int id, String remote) {}

  private final ServerSocket server;
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Map<Integer, HeartbeatLog> beats = new ConcurrentHashMap<>();
  private final Consumer<Line> echo;
  private final Thread acceptor;

  /**
   * Listens on {@code address}:{@code port} (0 for any free port) and passes every line to {@code
   * echo}.
   */
  public AgentChannelListener(String address, int port, Consumer<Line> echo) {
    this.echo = echo;
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getByName(address), port));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + ":" + port, e);
    }
    acceptor = DaemonThreads.start("agent-channel-accept", this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code address:port} for the guest's {@code sn.ctrl=}. */
  public String endpoint() {
    return server.getInetAddress().getHostAddress() + ":" + port();
  }

  public List<Connection> connections() {
    return List.copyOf(connections);
  }

  public List<Line> lines() {
    return List.copyOf(lines);
  }

  /** Waits for a line matching {@code test}; returns it or empty on timeout. */
  public Optional<Line> await(Predicate<Line> test, Duration timeout) {
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      for (Line l : lines) {
        if (test.test(l)) {
          return Optional.of(l);
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        Connection c =
            new Connection(connections.size() + 1, s.getRemoteSocketAddress().toString());
        connections.add(c);
        DaemonThreads.start("agent-channel-" + c.id(), () -> read(c, s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void read(Connection c, Socket s) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      String text;
      HeartbeatLog heartbeats = heartbeats(c.id());
      while ((text = r.readLine()) != null) {
        long now = System.nanoTime();
        if (text.startsWith("BEAT ")) {
          heartbeats.record(now);
          continue;
        }
        Line l = new Line(c.id(), text, now);
        lines.add(l);
        echo.accept(l);
      }
    } catch (IOException e) {
      // connection closed
    }
  }

  /** Arrival times of one connection's heartbeats (empty until it sends one). */
  public HeartbeatLog heartbeats(int connection) {
    return beats.computeIfAbsent(connection, k -> new HeartbeatLog());
  }

  /**
   * The pause the build on {@code connection} saw between {@code fromNanos} and {@code toNanos}
   * (monotonic, as {@link Line#receivedNanos()}): the longest gap between two of its heartbeats
   * overlapping that window. Waits up to {@code settle} for a beat after {@code toNanos}, so a
   * pause that ends just after the window is measured whole; if none comes, the gap still open
   * counts up to now. Empty when the build sent no heartbeat before the window's end (a guest
   * without heartbeats).
   */
  public OptionalLong longestBeatGapMillis(
      int connection, long fromNanos, long toNanos, Duration settle) {
    HeartbeatLog log = heartbeats(connection);
    long until = System.nanoTime() + settle.toNanos();
    while (log.lastNanos().orElse(Long.MIN_VALUE) <= toNanos && System.nanoTime() < until) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return log.longestGapMillis(fromNanos, toNanos, System.nanoTime());
  }

  /** STEP lines of one connection received between {@code fromNanos} and {@code toNanos}. */
  public int stepsBetween(int connection, long fromNanos, long toNanos) {
    int n = 0;
    for (Line l : lines) {
      if (l.connection() == connection
          && l.receivedNanos() >= fromNanos
          && l.receivedNanos() <= toNanos
          && l.text().startsWith("STEP ")) {
        n++;
      }
    }
    return n;
  }

  /** Lines of one connection. */
  public List<Line> linesOf(int connection) {
    List<Line> out = new ArrayList<>();
    for (Line l : lines) {
      if (l.connection() == connection) {
        out.add(l);
      }
    }
    return out;
  }

  @Override
  public void close() {
    try {
      server.close();
      for (Socket s : sockets) {
        s.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
