package io.spotnest.hosts.ec2;

import io.spotnest.hosts.OverlayPeers;
import io.spotnest.pki.ClusterCa;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where EC2 host events come from: the SQS queue fed by EventBridge, and/or the IMDS relay endpoint
 * the host watchers post to.
 *
 * @param sqs client for the queue named in {@link Ec2Settings#queueUrl()}, if that path is used
 * @param sqsSettings polling settings
 * @param relayBind local address of the IMDS relay endpoint, if that path is used
 * @param relayToken token the watchers present
 * @param relayIdentities checks the signed instance identity each notice carries (e.g. {@link
 *     Pkcs7IdentityVerifier#fromPem} with AWS's RSA-2048 certificate for the region)
 * @param hostCa the cluster CA that signs hosts' libvirt TLS certificates on the relay ({@link
 *     HostCertificateEndpoint}); empty when hosts are reached over SSH
 * @param overlayGateways VTEP addresses of the overlay gateways, in every host's flood list ({@link
 *     OverlayPeersEndpoint} on the relay)
 */
public record Ec2EventSources(
    Optional<SqsClient> sqs,
    SqsEventPump.Settings sqsSettings,
    Optional<InetSocketAddress> relayBind,
    RelayToken relayToken,
    InstanceIdentityVerifier relayIdentities,
    Optional<ClusterCa> hostCa,
    List<String> overlayGateways) {

  /** Sources without host certificates (hosts reached over SSH). */
  public Ec2EventSources(
      Optional<SqsClient> sqs,
      SqsEventPump.Settings sqsSettings,
      Optional<InetSocketAddress> relayBind,
      RelayToken relayToken,
      InstanceIdentityVerifier relayIdentities) {
    this(sqs, sqsSettings, relayBind, relayToken, relayIdentities, Optional.empty());
  }

  /** Sources without overlay gateways. */
  public Ec2EventSources(
      Optional<SqsClient> sqs,
      SqsEventPump.Settings sqsSettings,
      Optional<InetSocketAddress> relayBind,
      RelayToken relayToken,
      InstanceIdentityVerifier relayIdentities,
      Optional<ClusterCa> hostCa) {
    this(sqs, sqsSettings, relayBind, relayToken, relayIdentities, hostCa, List.of());
  }

  public Ec2EventSources {
    Objects.requireNonNull(hostCa, "hostCa");
    Objects.requireNonNull(sqs, "sqs");
    Objects.requireNonNull(sqsSettings, "sqsSettings");
    Objects.requireNonNull(relayBind, "relayBind");
    Objects.requireNonNull(relayToken, "relayToken");
    Objects.requireNonNull(relayIdentities, "relayIdentities");
    overlayGateways = new OverlayPeers(overlayGateways).gateways(); // checked: IP addresses
  }
}
