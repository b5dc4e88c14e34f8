package io.spotnest.hosts.ec2;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where EC2 host events come from: the SQS queue fed by EventBridge, and/or the IMDS relay endpoint the host
 * watchers post to.
 *
 * @param sqs client for the queue named in {@link Ec2Settings#queueUrl()}, if that path is used
 * @param sqsSettings polling settings
 * @param relayBind local address of the IMDS relay endpoint, if that path is used
 * @param relayToken token the watchers present
 */
public record Ec2EventSources(Optional<SqsClient> sqs, SqsEventPump.Settings sqsSettings,
                              Optional<InetSocketAddress> relayBind, RelayToken relayToken) {
    public Ec2EventSources {
        Objects.requireNonNull(sqs, "sqs");
        Objects.requireNonNull(sqsSettings, "sqsSettings");
        Objects.requireNonNull(relayBind, "relayBind");
        Objects.requireNonNull(relayToken, "relayToken");
    }
}
