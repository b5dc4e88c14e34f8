package io.spotnest.hosts.ec2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local fake of the instance metadata service in IMDSv2-only mode: {@code PUT /latest/api/token}
 * with the TTL header issues a token; every metadata GET must carry it in {@code
 * X-aws-ec2-metadata-token}, else 401.
 */
final class ImdsFake implements AutoCloseable {
  private final HttpServer server;
  private final String instanceId;
  private final Set<String> tokens = new HashSet<>();
  final AtomicInteger tokenPuts = new AtomicInteger();
  final AtomicInteger unauthorizedGets = new AtomicInteger();
  final AtomicInteger authorizedGets = new AtomicInteger();
  private volatile String instanceAction;
  private volatile String rebalance;
  private volatile String identity;
  private volatile String localIpv4;

  ImdsFake(String instanceId) throws IOException {
    this.instanceId = instanceId;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/latest/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Forgets every issued token, as IMDS does when they expire: the next GETs answer 401. */
  synchronized void revokeTokens() {
    tokens.clear();
  }

  /** Document of spot/instance-action, or null for none (404). */
  void instanceAction(String json) {
    instanceAction = json;
  }

  /**
   * What dynamic/instance-identity/rsa2048 serves (base64 CMS of the identity document), or null
   * for 404.
   */
  void identity(String signed) {
    identity = signed;
  }

  /** What meta-data/local-ipv4 serves, or null for 404. */
  void localIpv4(String address) {
    localIpv4 = address;
  }

  /** Document of events/recommendations/rebalance, or null for none (404). */
  void rebalance(String json) {
    rebalance = json;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (path.equals("/latest/api/token")) {
        token(ex);
        return;
      }
      if (!ex.getRequestMethod().equals("GET")) {
        send(ex, 405, null);
        return;
      }
      String token = ex.getRequestHeaders().getFirst("X-aws-ec2-metadata-token");
      synchronized (this) {
        if (token == null || !tokens.contains(token)) {
          unauthorizedGets.incrementAndGet();
          send(ex, 401, null);
          return;
        }
      }
      authorizedGets.incrementAndGet();
      String body =
          switch (path) {
            case "/latest/meta-data/instance-id" -> instanceId;
            case "/latest/meta-data/local-ipv4" -> localIpv4;
            case "/latest/meta-data/spot/instance-action" -> instanceAction;
            case "/latest/meta-data/events/recommendations/rebalance" -> rebalance;
            case "/latest/dynamic/instance-identity/rsa2048" -> identity;
            default -> null;
          };
      send(ex, body == null ? 404 : 200, body);
    }
  }

  private void token(HttpExchange ex) throws IOException {
    String ttl = ex.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds");
    if (!ex.getRequestMethod().equals("PUT")
        || ex.getRequestHeaders().containsKey("X-Forwarded-For")) {
      send(ex, 403, null);
      return;
    }
    int seconds;
    try {
      seconds = Integer.parseInt(ttl);
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 1 || seconds > 21600) {
      send(ex, 400, null);
      return;
    }
    String token = UUID.randomUUID().toString();
    synchronized (this) {
      tokens.add(token);
    }
    tokenPuts.incrementAndGet();
    ex.getResponseHeaders().set("X-aws-ec2-metadata-token-ttl-seconds", ttl);
    send(ex, 200, token);
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    if (body == null) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
