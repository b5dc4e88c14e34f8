package io.spotnest.hosts.ec2;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.Pool;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceMarketOptionsRequest;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;

/**
 * Launches one instance: checks the caps, then walks the markets (spot, then on-demand if allowed) and pools (the
 * requested one first, then the configured order), retrying throttling and capacity errors per pool and blocking a
 * pool that ran out of capacity for a while.
 */
final class Ec2Launcher {
    private static final System.Logger LOG = System.getLogger(Ec2Launcher.class.getName());

    private final Ec2Client ec2;
    private final Ec2Settings settings;
    private final HostUserData userData;
    private final Ec2Tags tags;
    private final Ec2Instances instances;
    private final UnavailableOfferings unavailable;
    private final ApiRetry retry;

    Ec2Launcher(Ec2Client ec2, Ec2Settings settings, HostUserData userData, Ec2Tags tags, Ec2Instances instances,
                UnavailableOfferings unavailable, ApiRetry retry) {
        this.ec2 = ec2;
        this.settings = settings;
        this.userData = userData;
        this.tags = tags;
        this.instances = instances;
        this.unavailable = unavailable;
        this.retry = retry;
    }

    /** Either the launched host or the error class that ended the tries in one pool. */
    private record PoolOutcome(Host host, LaunchError error) {
    }

    Host launch(HostRequest request, List<Host> live) {
        List<Market> markets = markets(request, live);
        Set<Pool> candidates = new LinkedHashSet<>();
        candidates.add(request.pool());
        candidates.addAll(settings.pools());
        List<String> failures = new ArrayList<>();
        for (Market market : markets) {
            for (Pool pool : candidates) {
                if (unavailable.isUnavailable(pool, market)) {
                    failures.add(pool + "/" + market + ": skipped, failed for capacity recently");
                    continue;
                }
                PoolOutcome outcome = tryPool(pool, market, failures);
                if (outcome.host() != null) {
                    return outcome.host();
                }
                if (outcome.error() == LaunchError.SPOT_QUOTA) {
                    break; // no spot pool can succeed; go on to the next market
                }
            }
        }
        throw new HostLaunchException("no host launched for " + request + ": " + String.join("; ", failures));
    }

    private List<Market> markets(HostRequest request, List<Host> live) {
        if (live.size() >= settings.maxHosts()) {
            throw new HostLaunchException("cap.hosts reached: " + live.size() + " of " + settings.maxHosts() + " hosts live");
        }
        long spotLive = live.stream().filter(h -> h.market() == Market.SPOT).count();
        List<Market> markets = new ArrayList<>();
        if (request.market() == Market.SPOT && spotLive < settings.maxSpotHosts()) {
            markets.add(Market.SPOT);
        }
        if (request.market() == Market.ON_DEMAND || settings.fallbackToOnDemand()) {
            markets.add(Market.ON_DEMAND);
        }
        if (markets.isEmpty()) {
            throw new HostLaunchException("cap.spotHosts reached: " + spotLive + " of " + settings.maxSpotHosts()
                    + " spot hosts live and fallback.onDemand is false");
        }
        return markets;
    }

    private PoolOutcome tryPool(Pool pool, Market market, List<String> failures) {
        String clientToken = UUID.randomUUID().toString(); // same token on every retry: a retried launch can't double up
        for (int attempt = 1; ; attempt++) {
            try {
                Host host = instances.toHost(ec2.runInstances(runRequest(pool, market, clientToken)).instances().get(0));
                LOG.log(System.Logger.Level.INFO, "launched {0} in {1} ({2})", host.id(), pool, market);
                return new PoolOutcome(host, null);
            } catch (AwsServiceException e) {
                String code = ApiRetry.errorCode(e);
                LaunchError kind = LaunchError.of(code);
                failures.add(pool + "/" + market + " attempt " + attempt + ": " + code);
                if (kind == LaunchError.FATAL || (kind == LaunchError.SPOT_QUOTA && market != Market.SPOT)) {
                    throw new HostLaunchException("launch in " + pool + " (" + market + ") failed: " + code + ": " + ApiRetry.errorMessage(e), e);
                }
                if (kind == LaunchError.SPOT_QUOTA) {
                    return new PoolOutcome(null, kind);
                }
                if (attempt >= retry.attempts()) {
                    if (kind == LaunchError.CAPACITY) {
                        unavailable.mark(pool, market);
                    }
                    return new PoolOutcome(null, kind);
                }
                retry.backOff(attempt);
            }
        }
    }

    private RunInstancesRequest runRequest(Pool pool, Market market, String clientToken) {
        RunInstancesRequest.Builder b = RunInstancesRequest.builder()
                .imageId(settings.imageId())
                .instanceType(pool.instanceType())
                .minCount(1)
                .maxCount(1)
                .clientToken(clientToken)
                .userData(userData.base64())
                .tagSpecifications(tags.specifications(pool.toString(), market.name()))
                .metadataOptions(m -> m.httpTokens("required").httpEndpoint("enabled").instanceMetadataTags("disabled"))
                .placement(p -> p.availabilityZone(pool.zone()));
        String subnet = settings.subnets().get(pool.zone());
        if (subnet != null) {
            b.subnetId(subnet);
        }
        if (!settings.securityGroupIds().isEmpty()) {
            b.securityGroupIds(settings.securityGroupIds());
        }
        settings.instanceProfile().ifPresent(p -> b.iamInstanceProfile(i -> i.name(p)));
        if (market == Market.SPOT) {
            b.instanceMarketOptions(InstanceMarketOptionsRequest.builder()
                    .marketType(MarketType.SPOT)
                    .spotOptions(s -> s.spotInstanceType(SpotInstanceType.ONE_TIME))
                    .build());
        }
        return b.build();
    }
}
