package io.spotnest.hosts.ec2;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostEventSink;
import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.HostProvider;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.NotOwnedException;
import io.spotnest.hosts.Pool;
import io.spotnest.hosts.SinkUnavailableException;
import io.spotnest.hosts.events.EventIntake;
import io.spotnest.hosts.events.IntakeObserver;
import io.spotnest.hosts.events.SeenEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceMarketOptionsRequest;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

/**
 * Hosts as EC2 instances, spot or on-demand. Every instance it launches carries the cluster's tags, and every list,
 * lookup and termination is restricted to those tags (server-side filter and client-side check).
 * Launches retry throttling and capacity errors with backoff, then fall back through the configured pools and, if
 * allowed, to on-demand.
 */
public final class Ec2HostProvider implements HostProvider {
    private static final System.Logger LOG = System.getLogger(Ec2HostProvider.class.getName());
    private static final List<String> LISTED_STATES = List.of("pending", "running", "stopping", "stopped", "shutting-down");

    private final Ec2Client ec2;
    private final Ec2Settings settings;
    private final HostUserData userData;
    private final Ec2EventSources sources;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final Ec2Tags tags;
    private final Ec2Instances instances;
    private final UnavailableOfferings unavailable;
    private final OwnedIds owned;

    public Ec2HostProvider(Ec2Client ec2, Ec2Settings settings, HostUserData userData, Ec2EventSources sources,
                           Clock clock, Sleeper sleeper, RandomGenerator random) {
        this.ec2 = Objects.requireNonNull(ec2, "ec2");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.userData = Objects.requireNonNull(userData, "userData");
        this.sources = Objects.requireNonNull(sources, "sources");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
        this.tags = new Ec2Tags(settings.cluster());
        this.instances = new Ec2Instances(settings.libvirt());
        this.unavailable = new UnavailableOfferings(clock, settings.unavailableTtl());
        this.owned = new OwnedIds(clock, Duration.ofSeconds(10));
    }

    @Override
    public Host launch(HostRequest request) {
        List<Host> live = list().stream().filter(h -> h.state().isLive()).toList();
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

    /** Either the launched host or the error class that ended tries in this pool. */
    private record PoolOutcome(Host host, LaunchError error) {
    }

    private PoolOutcome tryPool(Pool pool, Market market, List<String> failures) {
        String clientToken = UUID.randomUUID().toString(); // same token on every retry: a retried launch can't double up
        for (int attempt = 1; ; attempt++) {
            try {
                Instance instance = ec2.runInstances(runRequest(pool, market, clientToken)).instances().get(0);
                Host host = instances.toHost(instance);
                owned.add(host.id());
                LOG.log(System.Logger.Level.INFO, "launched {0} in {1} ({2})", host.id(), pool, market);
                return new PoolOutcome(host, null);
            } catch (AwsServiceException e) {
                String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                LaunchError kind = LaunchError.of(code);
                failures.add(pool + "/" + market + " attempt " + attempt + ": " + code);
                switch (kind) {
                    case FATAL:
                        throw new HostLaunchException("launch in " + pool + " (" + market + ") failed: " + code + ": "
                                + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()), e);
                    case SPOT_QUOTA:
                        if (market == Market.SPOT) {
                            return new PoolOutcome(null, kind);
                        }
                        throw new HostLaunchException("launch in " + pool + " failed: " + code, e);
                    default:
                        if (attempt >= settings.attemptsPerPool()) {
                            if (kind == LaunchError.CAPACITY) {
                                unavailable.mark(pool, market);
                            }
                            return new PoolOutcome(null, kind);
                        }
                        pause(settings.backoff().delay(attempt, random));
                }
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

    @Override
    public List<Host> list() {
        List<Filter> filters = new ArrayList<>(tags.ownershipFilters());
        filters.add(Ec2Tags.filter("instance-state-name", LISTED_STATES.toArray(String[]::new)));
        List<Host> hosts = new ArrayList<>();
        retrying("DescribeInstances", () -> {
            hosts.clear();
            ec2.describeInstancesPaginator(DescribeInstancesRequest.builder().filters(filters).build())
                    .reservations().forEach(r -> r.instances().stream()
                            .filter(i -> tags.isOurs(i.tags()))
                            .forEach(i -> hosts.add(instances.toHost(i))));
            return null;
        });
        owned.replace(hosts.stream().map(Host::id).toList());
        return List.copyOf(hosts);
    }

    @Override
    public void terminate(String hostId) {
        if (hostId == null || !hostId.matches("i-[0-9a-f]{8,17}")) {
            throw new NotOwnedException(String.valueOf(hostId), "not an EC2 instance id");
        }
        Instance instance = describeOwned(hostId);
        if (instance == null) {
            throw new NotOwnedException(hostId, "no instance with this id carries tag " + Ec2Tags.CLUSTER + "=" + settings.cluster()
                    + " and " + Ec2Tags.MANAGED + "=true");
        }
        retrying("TerminateInstances", () -> ec2.terminateInstances(r -> r.instanceIds(hostId)));
        LOG.log(System.Logger.Level.INFO, "terminated {0}", hostId);
    }

    /** The instance if it exists and is ours, else null. */
    private Instance describeOwned(String hostId) {
        List<Instance> found = new ArrayList<>();
        try {
            retrying("DescribeInstances", () -> {
                found.clear();
                ec2.describeInstancesPaginator(r -> r.instanceIds(hostId).filters(tags.ownershipFilters()))
                        .reservations().forEach(r -> found.addAll(r.instances()));
                return null;
            });
        } catch (AwsServiceException e) {
            if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode().startsWith("InvalidInstanceID")) {
                return null;
            }
            throw e;
        }
        return found.stream().filter(i -> hostId.equals(i.instanceId()) && tags.isOurs(i.tags())).findFirst().orElse(null);
    }

    /** Latest Linux spot price per pool (pools without a price in the last hour are left out). */
    public Map<Pool, BigDecimal> spotPrices(Collection<Pool> pools) {
        Map<Pool, BigDecimal> prices = new HashMap<>();
        Map<Pool, Instant> at = new HashMap<>();
        Set<String> types = new HashSet<>();
        pools.forEach(p -> types.add(p.instanceType()));
        Set<Pool> wanted = new HashSet<>(pools);
        retrying("DescribeSpotPriceHistory", () -> {
            ec2.describeSpotPriceHistoryPaginator(r -> r.instanceTypesWithStrings(types)
                            .productDescriptions("Linux/UNIX")
                            .startTime(clock.instant().minus(Duration.ofHours(1))))
                    .spotPriceHistory().forEach(sp -> keepLatest(sp, wanted, prices, at));
            return null;
        });
        return Map.copyOf(prices);
    }

    private static void keepLatest(SpotPrice sp, Set<Pool> wanted, Map<Pool, BigDecimal> prices, Map<Pool, Instant> at) {
        Pool pool = new Pool(sp.instanceTypeAsString(), sp.availabilityZone());
        if (wanted.contains(pool) && (at.get(pool) == null || sp.timestamp().isAfter(at.get(pool)))) {
            prices.put(pool, new BigDecimal(sp.spotPrice()));
            at.put(pool, sp.timestamp());
        }
    }

    /** Ownership answer for the event intake: cached, refreshed from a full (tag-filtered) list at most every 10 s. */
    boolean owns(String hostId) {
        Boolean known = owned.lookup(hostId);
        if (known != null) {
            return known;
        }
        try {
            list();
        } catch (RuntimeException e) {
            throw new SinkUnavailableException("cannot check ownership of " + hostId + " right now", e);
        }
        return owned.contains(hostId);
    }

    @Override
    public AutoCloseable subscribe(HostEventSink sink) {
        EventIntake intake = new EventIntake(sink, this::owns, SeenEvents.standard(clock), IntakeObserver.logging());
        List<AutoCloseable> open = new ArrayList<>();
        try {
            if (sources.sqs().isPresent() && settings.queueUrl().isPresent()) {
                SqsEventPump pump = new SqsEventPump(sources.sqs().get(), settings.queueUrl().get(), sources.sqsSettings(), intake);
                pump.start();
                open.add(pump);
            }
            if (sources.relayBind().isPresent()) {
                open.add(new ImdsRelayServer(sources.relayBind().get(), sources.relayToken(), intake));
            }
        } catch (IOException e) {
            closeAll(open);
            throw new UncheckedIOException("cannot start the IMDS relay endpoint", e);
        }
        return () -> closeAll(open);
    }

    private static void closeAll(List<AutoCloseable> open) {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing an event source failed", e);
            }
        }
    }

    /** Runs an API call, retrying throttling with backoff up to retry.attemptsPerPool times. */
    private <T> T retrying(String call, Supplier<T> body) {
        for (int attempt = 1; ; attempt++) {
            try {
                return body.get();
            } catch (AwsServiceException e) {
                String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                if (LaunchError.of(code) != LaunchError.THROTTLED || attempt >= settings.attemptsPerPool()) {
                    throw e;
                }
                LOG.log(System.Logger.Level.DEBUG, "{0} throttled ({1}), attempt {2}", call, code, attempt);
                pause(settings.backoff().delay(attempt, random));
            }
        }
    }

    private void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostLaunchException("interrupted while backing off", e);
        }
    }

    @Override
    public String toString() {
        return "Ec2HostProvider(cluster=" + settings.cluster() + ", region=" + settings.region() + ")";
    }
}
