package io.spotnest.jenkins;

/**
 * What an {@link Ec2Fleet} says, as the form holds it (trimmed text; empty for an optional field
 * left out). {@code io.spotnest.jenkins.orchestrator.Ec2Assembly} turns it into the EC2 provider's
 * settings. No credentials: the AWS SDK's default chain supplies them.
 *
 * @param region the AWS region, e.g. {@code eu-west-1}
 * @param ami the hosts' AMI
 * @param pools {@code <instanceType>@<zone>} separated by commas or new lines, in fallback order
 * @param subnets {@code <zone>=<subnet-id>} entries (zones without one use the default VPC)
 * @param securityGroups security group ids of every host
 * @param instanceProfile the hosts' IAM instance profile name, if any
 * @param maxHosts cap on live EC2 hosts
 * @param maxSpotHosts cap on live spot hosts (at most {@code maxHosts})
 * @param onDemandPrices {@code <instanceType>=<USD per hour>} entries
 * @param queueUrl the cluster's SQS queue the EventBridge rule feeds, if any
 * @param relayUrl the controller URL the hosts' IMDS watchers post notices to
 * @param relayBind the local address the notice relay listens on ({@code <ip>:<port>}), if any
 * @param identityCertificate AWS's RSA-2048 instance identity certificate of the region (PEM file)
 * @param ec2Endpoint an EC2 endpoint override (VPC endpoint), if any
 * @param sqsEndpoint an SQS endpoint override (VPC endpoint), if any
 * @param overlayGateways IPv4 VTEP addresses of the overlay gateways, in every host's flood list
 */
public record Ec2FleetSettings(
    String region,
    String ami,
    String pools,
    String subnets,
    String securityGroups,
    String instanceProfile,
    int maxHosts,
    int maxSpotHosts,
    String onDemandPrices,
    String queueUrl,
    String relayUrl,
    String relayBind,
    String identityCertificate,
    String ec2Endpoint,
    String sqsEndpoint,
    String overlayGateways) {}
