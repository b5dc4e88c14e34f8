package io.spotnest.hosts.ec2;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.OverlayPeers;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Answers a host its overlay flood list: {@code GET /v1/overlay-peers} (on the relay, with its
 * bearer token) with the host's signed instance identity in header {@value #IDENTITY_HEADER} (the
 * base64 of IMDS {@code instance-identity/rsa2048}, line breaks removed). A host asks only for
 * itself: the signature must hold, the request must come from the signed private IP, and the signed
 * instance must be a live host of this cluster, or an overlay gateway (an instance whose signed
 * private IP is one of the configured gateway VTEPs), 403 otherwise. The answer is 200 with one
 * address per line ({@link OverlayPeers#forHost}, or {@link OverlayPeers#forGateway} for a
 * gateway), or 503 while the host list cannot be read.
 */
public final class OverlayPeersEndpoint {
  public static final String PATH = "/v1/overlay-peers";
  public static final String IDENTITY_HEADER = "X-SpotNest-Identity";

  /** An answer: HTTP status and body (the list for 200, else one line why). */
  public record Answer(int status, String body) {}

  private final InstanceIdentityVerifier identities;
  private final Supplier<List<Host>> hosts;
  private final OverlayPeers peers;

  /**
   * @param hosts the cluster's hosts (only ours: a host-set the provider listed by its tags)
   */
  public OverlayPeersEndpoint(
      InstanceIdentityVerifier identities, Supplier<List<Host>> hosts, OverlayPeers peers) {
    this.identities = Objects.requireNonNull(identities, "identities");
    this.hosts = Objects.requireNonNull(hosts, "hosts");
    this.peers = Objects.requireNonNull(peers, "peers");
  }

  /** Answers one request whose bearer token was already checked. */
  public Answer answer(String signed, InetAddress sender) {
    if (signed == null || signed.isBlank()) {
      return new Answer(403, "instance identity refused: no " + IDENTITY_HEADER + " header");
    }
    InstanceIdentity identity;
    try {
      identity = identities.verify(signed);
    } catch (IdentityRejectedException e) {
      return new Answer(403, "instance identity refused");
    }
    if (!identity.sentFrom(sender)) {
      return new Answer(403, "instance identity refused");
    }
    List<Host> all;
    try {
      all = hosts.get();
    } catch (RuntimeException e) {
      return new Answer(503, "the host list is unavailable, ask again later");
    }
    boolean live =
        all.stream().anyMatch(h -> h.id().equals(identity.instanceId()) && h.state().isLive());
    List<String> list;
    if (live) {
      list = peers.forHost(identity.instanceId(), all);
    } else if (peers.isGateway(identity.privateIp())) {
      list = peers.forGateway(identity.privateIp(), all);
    } else {
      return new Answer(403, "not a live host or an overlay gateway of this cluster");
    }
    StringBuilder body = new StringBuilder();
    list.forEach(p -> body.append(p).append('\n'));
    return new Answer(200, body.toString());
  }
}
