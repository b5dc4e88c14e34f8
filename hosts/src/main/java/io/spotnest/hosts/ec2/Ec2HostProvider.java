package io.spotnest.hosts.ec2;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.HostEventSink;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Hosts as EC2 instances, spot or on-demand. Every instance it launches carries the cluster's tags, and every list,
 * lookup and termination is restricted to those tags (server-side filter and client-side check). Launching, with its
 * retries and fallbacks, is {@link Ec2Launcher}'s job; events come from the SQS queue and the IMDS relay.
 */
public final class Ec2HostProvider implements HostProvider {
    private static final System.Logger LOG = System.getLogger(Ec2HostProvider.class.getName());
    private static final String[] LISTED_STATES = {"pending", "running", "stopping", "stopped", "shutting-down"};

    private final Ec2Client ec2;
    private final Ec2Settings settings;
    private final Ec2EventSources sources;
    private final Clock clock;
    private final Ec2Tags tags;
    private final Ec2Instances instances;
    private final ApiRetry retry;
    private final Ec2Launcher launcher;
    private final Ec2SpotPrices prices;
    private final OwnedIds owned;
    private final UnavailableOfferings unavailable;

    public Ec2HostProvider(Ec2Client ec2, Ec2Settings settings, HostUserData userData, Ec2EventSources sources,
                           Clock clock, Sleeper sleeper, RandomGenerator random) {
        this.ec2 = Objects.requireNonNull(ec2, "ec2");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sources = Objects.requireNonNull(sources, "sources");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tags = new Ec2Tags(settings.cluster());
        this.instances = new Ec2Instances(settings.libvirt());
        this.retry = new ApiRetry(settings.backoff(), settings.attemptsPerPool(), Objects.requireNonNull(sleeper, "sleeper"),
                Objects.requireNonNull(random, "random"));
        this.unavailable = new UnavailableOfferings(clock, settings.unavailableTtl());
        this.launcher = new Ec2Launcher(ec2, settings, Objects.requireNonNull(userData, "userData"), tags, instances,
                unavailable, retry);
        this.prices = new Ec2SpotPrices(ec2, retry, clock);
        this.owned = new OwnedIds(clock, Duration.ofSeconds(10));
    }

    @Override
    public Host launch(HostRequest request) {
        Host host = launcher.launch(request, list().stream().filter(h -> h.state().isLive()).toList());
        owned.add(host);
        return host;
    }

    @Override
    public List<Host> list() {
        List<Filter> filters = new ArrayList<>(tags.ownershipFilters());
        filters.add(Ec2Tags.filter("instance-state-name", LISTED_STATES));
        List<Host> hosts = retry.call("DescribeInstances", () -> {
            List<Host> found = new ArrayList<>();
            ec2.describeInstancesPaginator(DescribeInstancesRequest.builder().filters(filters).build())
                    .reservations().forEach(r -> r.instances().stream()
                            .filter(i -> tags.isOurs(i.tags()))
                            .forEach(i -> found.add(instances.toHost(i))));
            return List.copyOf(found);
        });
        owned.listed(hosts);
        return hosts;
    }

    @Override
    public void terminate(String hostId) {
        if (hostId == null || !hostId.matches("i-[0-9a-f]{8,17}")) {
            throw new NotOwnedException(String.valueOf(hostId), "not an EC2 instance id");
        }
        if (!describeOwned(hostId)) {
            throw new NotOwnedException(hostId, "no instance with this id carries tag " + Ec2Tags.CLUSTER + "=" + settings.cluster()
                    + " and " + Ec2Tags.MANAGED + "=true");
        }
        retry.call("TerminateInstances", () -> ec2.terminateInstances(r -> r.instanceIds(hostId)));
        LOG.log(System.Logger.Level.INFO, "terminated {0}", hostId);
    }

    /** True if the instance exists and carries our tags (server-side filter, then checked again here). */
    private boolean describeOwned(String hostId) {
        try {
            return retry.call("DescribeInstances", () -> {
                List<Instance> found = new ArrayList<>();
                ec2.describeInstancesPaginator(r -> r.instanceIds(hostId).filters(tags.ownershipFilters()))
                        .reservations().forEach(r -> found.addAll(r.instances()));
                return found.stream().anyMatch(i -> hostId.equals(i.instanceId()) && tags.isOurs(i.tags()));
            });
        } catch (AwsServiceException e) {
            String code = ApiRetry.errorCode(e);
            if (code != null && code.startsWith("InvalidInstanceID")) {
                return false;
            }
            throw e;
        }
    }

    /** Latest Linux spot price per pool (pools without a price in the last hour are left out). */
    public Map<Pool, BigDecimal> spotPrices(Collection<Pool> pools) {
        return prices.latest(pools);
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

    /**
     * After a spot interruption notice is durable, its pool is blocked for spot placement for {@code unavailableTtl}:
     * replacements should not land where capacity is being reclaimed. Rebalance recommendations block nothing.
     */
    @Override
    public AutoCloseable subscribe(HostEventSink sink) {
        HostEventSink blocking = event -> {
            sink.accept(event);
            if (event instanceof HostEvent.InterruptionNotice) {
                owned.pool(event.hostId()).ifPresent(pool -> unavailable.mark(pool, Market.SPOT));
            }
        };
        EventIntake intake = new EventIntake(blocking, this::owns, SeenEvents.standard(clock), IntakeObserver.logging());
        List<AutoCloseable> open = new ArrayList<>();
        try {
            if (sources.sqs().isPresent() && settings.queueUrl().isPresent()) {
                SqsEventPump pump = new SqsEventPump(sources.sqs().get(), settings.queueUrl().get(), sources.sqsSettings(), intake);
                pump.start();
                open.add(pump);
            }
            if (sources.relayBind().isPresent()) {
                open.add(new ImdsRelayServer(sources.relayBind().get(), sources.relayToken(), sources.relayIdentities(), intake));
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

    @Override
    public String toString() {
        return "Ec2HostProvider(cluster=" + settings.cluster() + ", region=" + settings.region() + ")";
    }
}
