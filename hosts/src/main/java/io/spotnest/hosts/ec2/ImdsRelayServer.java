package io.spotnest.hosts.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.spotnest.hosts.DaemonThreads;
import io.spotnest.hosts.events.Disposition;
import io.spotnest.hosts.events.EventIntake;
import io.spotnest.hosts.events.JsonFields;
import io.spotnest.hosts.events.MalformedEventException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Controller endpoint the host watcher posts IMDS notices to: {@code POST /v1/imds-notice} with a
 * bearer token and body {@code {"instanceId","kind","payload","identity"}}, where {@code identity}
 * is the host's signed instance identity document (IMDS {@code instance-identity/rsa2048}). A host
 * speaks only for itself: the signature must verify, the signed instance id must be the notice's,
 * and the request must come from the signed private IP (the relay must see the hosts' own
 * addresses: no NAT or proxy in between). Answers 204 once the effect is durable (or was already),
 * 422 for a notice to drop (the watcher stops resending it), 503 or 500 when the watcher must send
 * it again, 401 without the token, 403 when the identity does not hold. With a {@link
 * HostCertificateEndpoint} it also issues hosts their libvirt TLS certificates on {@value
 * HostCertificateEndpoint#PATH}, behind the same token; with an {@link OverlayPeersEndpoint} it
 * answers each host its own overlay flood list on {@code GET} {@value OverlayPeersEndpoint#PATH},
 * behind the same token and identity checks.
 */
public final class ImdsRelayServer implements AutoCloseable {
  public static final String PATH = "/v1/imds-notice";
  private static final int MAX_BODY = 64 * 1024;
  private static final String SOURCE = "imds-relay";
  private static final System.Logger LOG = System.getLogger(ImdsRelayServer.class.getName());

  private final HttpServer server;
  private final ExecutorService executor;
  private final RelayToken token;
  private final InstanceIdentityVerifier identities;
  private final EventIntake intake;
  private final ImdsNotices notices = new ImdsNotices();

  public ImdsRelayServer(
      InetSocketAddress bind,
      RelayToken token,
      InstanceIdentityVerifier identities,
      EventIntake intake)
      throws IOException {
    this(bind, token, identities, intake, Optional.empty());
  }

  public ImdsRelayServer(
      InetSocketAddress bind,
      RelayToken token,
      InstanceIdentityVerifier identities,
      EventIntake intake,
      Optional<HostCertificateEndpoint> certificates)
      throws IOException {
    this(bind, token, identities, intake, certificates, Optional.empty());
  }

  public ImdsRelayServer(
      InetSocketAddress bind,
      RelayToken token,
      InstanceIdentityVerifier identities,
      EventIntake intake,
      Optional<HostCertificateEndpoint> certificates,
      Optional<OverlayPeersEndpoint> overlayPeers)
      throws IOException {
    this.token = Objects.requireNonNull(token, "token");
    this.identities = Objects.requireNonNull(identities, "identities");
    this.intake = Objects.requireNonNull(intake, "intake");
    this.server = HttpServer.create(bind, 64);
    this.executor = Executors.newFixedThreadPool(4, DaemonThreads.named("spotnest-imds-relay"));
    server.setExecutor(executor);
    server.createContext(PATH, this::handle);
    certificates.ifPresent(
        c -> server.createContext(HostCertificateEndpoint.PATH, ex -> certificate(ex, c)));
    overlayPeers.ifPresent(
        o -> server.createContext(OverlayPeersEndpoint.PATH, ex -> overlayPeers(ex, o)));
    server.start();
  }

  /** The bound address (the port is real even when 0 was asked). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * Whether the request is a POST with the relay's bearer token; if not, it has been answered (405
   * or 401).
   */
  private boolean admitted(HttpExchange exchange) throws IOException {
    return admitted(exchange, "POST");
  }

  /**
   * Whether the request uses {@code method} and carries the relay's bearer token; if not, it has
   * been answered (405 or 401).
   */
  private boolean admitted(HttpExchange exchange, String method) throws IOException {
    if (!method.equals(exchange.getRequestMethod())) {
      respond(exchange, 405, method + " only");
      return false;
    }
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith("Bearer ") || !token.matches(auth.substring(7))) {
      respond(exchange, 401, "missing or wrong relay token");
      return false;
    }
    return true;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!admitted(exchange)) {
        return;
      }
      String body = readBody(exchange.getRequestBody());
      String refusal =
          body == null ? null : identityRefusal(body, exchange.getRemoteAddress().getAddress());
      if (refusal != null) {
        LOG.log(
            System.Logger.Level.WARNING,
            "refused an IMDS notice from {0}: {1}",
            exchange.getRemoteAddress().getAddress().getHostAddress(),
            refusal);
        respond(exchange, 403, "instance identity refused");
        return;
      }
      Disposition d = dispositionOf(body);
      switch (d) {
        case HANDLED, DUPLICATE -> respond(exchange, 204, null);
        case DROPPED -> respond(exchange, 422, "dropped");
        case RETRY -> respond(exchange, 503, "retry later");
        case PROPAGATED -> respond(exchange, 500, "sink failed");
        default -> throw new IllegalStateException("unknown disposition " + d);
      }
    }
  }

  private void certificate(HttpExchange exchange, HostCertificateEndpoint endpoint)
      throws IOException {
    try (exchange) {
      if (!admitted(exchange)) {
        return;
      }
      String body = readBody(exchange.getRequestBody());
      InetAddress sender = exchange.getRemoteAddress().getAddress();
      HostCertificateEndpoint.Answer a =
          body == null
              ? new HostCertificateEndpoint.Answer(413, "body too large")
              : endpoint.answer(body, sender);
      LOG.log(
          a.status() == 200 ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
          a.status() == 200
              ? "issued a host certificate to {0}"
              : "refused a host certificate to {0}: {1}",
          sender.getHostAddress(),
          a.status() == 200 ? "" : a.body());
      respond(exchange, a.status(), a.body().strip());
    }
  }

  private void overlayPeers(HttpExchange exchange, OverlayPeersEndpoint endpoint)
      throws IOException {
    try (exchange) {
      if (!admitted(exchange, "GET")) {
        return;
      }
      InetAddress sender = exchange.getRemoteAddress().getAddress();
      OverlayPeersEndpoint.Answer a =
          endpoint.answer(
              exchange.getRequestHeaders().getFirst(OverlayPeersEndpoint.IDENTITY_HEADER), sender);
      if (a.status() != 200) {
        LOG.log(
            System.Logger.Level.WARNING,
            "refused an overlay peer list to {0}: {1}",
            sender.getHostAddress(),
            a.body());
        respond(exchange, a.status(), a.body());
        return;
      }
      byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  /** Null when the notice comes from the instance it is about, else why not. */
  private String identityRefusal(String body, InetAddress sender) {
    String instanceId;
    String signed;
    try {
      JsonNode root = JsonFields.object("request body", body);
      instanceId = field(root, "instanceId");
      signed = field(root, "identity");
    } catch (MalformedEventException e) {
      return null; // not a notice at all: the intake drops it (422)
    }
    try {
      InstanceIdentity identity = identities.verify(signed);
      if (!identity.instanceId().equals(instanceId)) {
        return "signed by " + identity.instanceId() + " but about " + instanceId;
      }
      if (!identity.sentFrom(sender)) {
        return identity.instanceId()
            + " has private IP "
            + identity.privateIp()
            + " but the notice came from "
            + sender.getHostAddress();
      }
      return null;
    } catch (IdentityRejectedException e) {
      return e.getMessage();
    }
  }

  private Disposition dispositionOf(String body) {
    if (body == null) {
      return intake.reject(SOURCE, "body larger than " + MAX_BODY + " bytes");
    }
    try {
      JsonNode root = JsonFields.object("request body", body);
      return intake.offer(
          SOURCE,
          notices.parse(field(root, "instanceId"), field(root, "kind"), field(root, "payload")));
    } catch (MalformedEventException e) {
      return intake.reject(SOURCE, e.getMessage());
    }
  }

  private static String field(JsonNode root, String name) {
    JsonNode v = root.get(name);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  private static String readBody(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY + 1);
    return bytes.length > MAX_BODY ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static void respond(HttpExchange exchange, int status, String text) throws IOException {
    if (text == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() throws InterruptedException {
    server.stop(0);
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
