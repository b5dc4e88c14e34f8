package io.spotnest.hosts.ec2;

import io.spotnest.hosts.Pool;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything the EC2 provider needs. Secrets are not here: credentials come from the SDK chain or
 * are passed explicitly, and the relay token is read from a file into a {@link RelayToken}.
 *
 * @param cluster value of the {@code spotnest:cluster} tag; only instances with it are ever listed
 *     or terminated
 * @param region AWS region
 * @param imageId AMI of the host (a Debian/Ubuntu image with nested virtualization support)
 * @param pools launch pools in fallback order
 * @param subnets subnet per zone (zones without one use the default VPC)
 * @param securityGroupIds security groups of every host
 * @param instanceProfile optional IAM instance profile name
 * @param maxHosts cap on live hosts of this cluster
 * @param maxSpotHosts cap on live spot hosts (at most maxHosts)
 * @param fallbackToOnDemand when every spot pool fails, try the pools on-demand
 * @param attemptsPerPool tries per pool for throttling or capacity errors before moving on
 * @param backoff delay between those tries
 * @param unavailableTtl how long a pool that failed for capacity is skipped
 * @param libvirt how the controller reaches libvirtd on the hosts
 * @param relayUrl controller URL the host watcher posts IMDS notices to
 * @param queueUrl optional SQS queue fed by the EventBridge rule
 * @param ec2Endpoint optional endpoint override (tests, private endpoints)
 * @param sqsEndpoint optional endpoint override
 * @param apiCallTimeout how long one EC2 API call may take before it is abandoned (and retried with
 *     the same ClientToken)
 * @param diskGib optional size of the root volume each host is launched with (also its disk
 *     capacity)
 * @param rootDevice device name of the AMI's root volume, used with {@code diskGib}
 * @param onDemandPrices on-demand price per hour by instance type (a host's price when launched
 *     on-demand)
 */
public record Ec2Settings(
    String cluster,
    String region,
    String imageId,
    List<Pool> pools,
    Map<String, String> subnets,
    List<String> securityGroupIds,
    Optional<String> instanceProfile,
    int maxHosts,
    int maxSpotHosts,
    boolean fallbackToOnDemand,
    int attemptsPerPool,
    Backoff backoff,
    Duration unavailableTtl,
    LibvirtAccess libvirt,
    URI relayUrl,
    Optional<String> queueUrl,
    Optional<URI> ec2Endpoint,
    Optional<URI> sqsEndpoint,
    Duration apiCallTimeout,
    Optional<Integer> diskGib,
    String rootDevice,
    Map<String, BigDecimal> onDemandPrices) {

  private static final Pattern CLUSTER = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
  private static final Pattern AMI = Pattern.compile("ami-[0-9a-f]{8,17}");
  private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-f]{8,17}");
  private static final Pattern GROUP = Pattern.compile("sg-[0-9a-f]{8,17}");

  public Ec2Settings {
    check(
        cluster != null && CLUSTER.matcher(cluster).matches(),
        "cluster",
        "1-40 of [a-z0-9-], starting with a letter or digit",
        cluster);
    check(
        region != null && REGION.matcher(region).matches(),
        "region",
        "an AWS region like eu-west-1",
        region);
    check(
        imageId != null && AMI.matcher(imageId).matches(),
        "image",
        "an AMI id like ami-0123456789abcdef0",
        imageId);
    check(pools != null && !pools.isEmpty(), "pools", "at least one <instanceType>@<zone>", pools);
    check(new HashSet<>(pools).size() == pools.size(), "pools", "no pool listed twice", pools);
    for (Pool p : pools) {
      check(p.zone().startsWith(region), "pools", "zones inside region " + region, p);
    }
    subnets = Map.copyOf(Objects.requireNonNull(subnets, "subnets"));
    subnets.forEach(
        (zone, subnet) ->
            check(
                SUBNET.matcher(subnet).matches(),
                "subnet." + zone,
                "a subnet id like subnet-0123abcd",
                subnet));
    securityGroupIds = List.copyOf(securityGroupIds);
    securityGroupIds.forEach(
        g ->
            check(
                GROUP.matcher(g).matches(),
                "securityGroups",
                "security group ids like sg-0123abcd",
                g));
    pools = List.copyOf(pools);
    Objects.requireNonNull(instanceProfile, "instanceProfile");
    check(maxHosts >= 1, "cap.hosts", "at least 1", maxHosts);
    check(
        maxSpotHosts >= 0 && maxSpotHosts <= maxHosts,
        "cap.spotHosts",
        "between 0 and cap.hosts (" + maxHosts + ")",
        maxSpotHosts);
    check(
        attemptsPerPool >= 1 && attemptsPerPool <= 10,
        "retry.attemptsPerPool",
        "between 1 and 10",
        attemptsPerPool);
    Objects.requireNonNull(backoff, "backoff");
    check(
        unavailableTtl != null && !unavailableTtl.isNegative(),
        "unavailableTtl",
        "a duration >= 0",
        unavailableTtl);
    Objects.requireNonNull(libvirt, "libvirt");
    check(
        relayUrl != null
            && ("https".equals(relayUrl.getScheme()) || "http".equals(relayUrl.getScheme()))
            && relayUrl.getHost() != null,
        "relay.url",
        "an http(s) URL with a host",
        relayUrl);
    Objects.requireNonNull(queueUrl, "queueUrl");
    Objects.requireNonNull(ec2Endpoint, "ec2Endpoint");
    Objects.requireNonNull(sqsEndpoint, "sqsEndpoint");
    check(
        apiCallTimeout != null
            && apiCallTimeout.toMillis() >= 100
            && apiCallTimeout.toSeconds() <= 300,
        "timeout.apiCall",
        "a duration within 100ms..5m",
        apiCallTimeout);
    Objects.requireNonNull(diskGib, "diskGib");
    diskGib.ifPresent(g -> check(g >= 8 && g <= 16384, "disk.gib", "8..16384", g));
    check(
        rootDevice != null && rootDevice.matches("/dev/[a-z0-9]+"),
        "disk.device",
        "a device name like /dev/xvda",
        rootDevice);
    onDemandPrices = Map.copyOf(onDemandPrices);
    onDemandPrices.forEach(
        (type, price) ->
            check(price.signum() >= 0, "price.onDemand." + type, "a price >= 0", price));
  }

  private static void check(boolean ok, String field, String expected, Object got) {
    if (!ok) {
      throw new IllegalArgumentException(field + ": expected " + expected + ", got '" + got + "'");
    }
  }
}
