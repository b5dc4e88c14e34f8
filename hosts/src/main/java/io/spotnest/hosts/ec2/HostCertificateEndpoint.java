package io.spotnest.hosts.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotnest.hosts.events.JsonFields;
import io.spotnest.hosts.events.MalformedEventException;
import io.spotnest.pki.ClusterCa;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Issues a launched host its libvirt TLS certificate: {@code POST /v1/host-certificate} (on the
 * relay, with its bearer token) with body {@code {"instanceId","identity","csr"}}. The host made
 * its key and the CSR itself, so the key never leaves it. The certificate names exactly what the
 * signed instance identity vouches for: the instance id (subject) and its private IP and EC2
 * private DNS name (subject alternative names), whatever the CSR claims. Refused (403) unless the
 * signature holds, the signed instance is the request's, the request comes from its private IP and
 * the instance is one this cluster launched; 400 for a bad CSR.
 */
public final class HostCertificateEndpoint {
  public static final String PATH = "/v1/host-certificate";

  /** An answer: HTTP status and body (a PEM certificate for 200, else one line why). */
  public record Answer(int status, String body) {}

  private final ClusterCa ca;
  private final InstanceIdentityVerifier identities;
  private final Predicate<String> launchedHere;
  private final Duration validity;

  public HostCertificateEndpoint(
      ClusterCa ca,
      InstanceIdentityVerifier identities,
      Predicate<String> launchedHere,
      Duration validity) {
    this.ca = Objects.requireNonNull(ca, "ca");
    this.identities = Objects.requireNonNull(identities, "identities");
    this.launchedHere = Objects.requireNonNull(launchedHere, "launchedHere");
    this.validity = Objects.requireNonNull(validity, "validity");
  }

  /** Answers one request whose bearer token was already checked. */
  public Answer answer(String body, InetAddress sender) {
    String instanceId;
    String signed;
    String csr;
    try {
      JsonNode root = JsonFields.object("request body", body);
      instanceId = text(root, "instanceId");
      signed = text(root, "identity");
      csr = text(root, "csr");
    } catch (MalformedEventException e) {
      return new Answer(400, "request body: not a JSON object");
    }
    if (instanceId == null || signed == null || csr == null) {
      return new Answer(400, "request body: instanceId, identity and csr are required");
    }
    InstanceIdentity identity;
    try {
      identity = identities.verify(signed);
    } catch (IdentityRejectedException e) {
      return new Answer(403, "instance identity refused");
    }
    if (!identity.instanceId().equals(instanceId)
        || !identity.sentFrom(sender)
        || !launchedHere.test(identity.instanceId())) {
      return new Answer(403, "instance identity refused");
    }
    try {
      return new Answer(
          200, ClusterCa.pem(ca.signHost(csr, identity.instanceId(), namesOf(identity), validity)));
    } catch (IllegalArgumentException e) {
      return new Answer(400, e.getMessage());
    }
  }

  /** The private IP, and the private DNS name EC2 gives it ({@code ip-a-b-c-d.<region>...}). */
  static List<String> namesOf(InstanceIdentity identity) {
    String ip = identity.privateIp();
    String domain =
        identity.region().equals("us-east-1")
            ? "ec2.internal"
            : identity.region() + ".compute.internal";
    return List.of(ip, "ip-" + ip.replace('.', '-') + "." + domain);
  }

  private static String text(JsonNode root, String name) {
    JsonNode v = root.get(name);
    return v != null && v.isTextual() ? v.asText() : null;
  }
}
