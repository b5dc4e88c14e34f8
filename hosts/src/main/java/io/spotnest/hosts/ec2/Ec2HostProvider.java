package io.spotnest.hosts.ec2;

import io.spotnest.hosts.AsyncLaunch;
import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.HostEventSink;
import io.spotnest.hosts.HostLaunch;
import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.HostProvider;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.LaunchFailure;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.NotOwnedException;
import io.spotnest.hosts.OverlayPeers;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Hosts as EC2 instances, spot or on-demand. Every instance it launches carries the cluster's tags,
 * and every list, lookup and termination is restricted to those tags (server-side filter and
 * client-side check). Launches are asynchronous, cancellable and idempotent by the caller's key
 * (ClientTokens derived from it); their retries, fallbacks and caps are {@link Ec2Launcher}'s job.
 * Events come from the cluster's own SQS queue and the IMDS relay.
 */
public final class Ec2HostProvider implements HostProvider {
  private static final System.Logger LOG = System.getLogger(Ec2HostProvider.class.getName());
  private static final String[] LISTED_STATES = {
    "pending", "running", "stopping", "stopped", "shutting-down"
  };
  private static final String[] LIVE_STATES = {"pending", "running"};

  /**
   * How long a finished launch is remembered by key in this process (EC2 keeps ClientTokens
   * longer).
   */
  private static final Duration REMEMBER_LAUNCH = Duration.ofHours(1);

  /** A launch by key, with the ClientTokens it sent. */
  private record KeyedLaunch(
      HostRequest request, AsyncLaunch launch, Set<String> tokens, Instant started) {}

  private final Ec2Client ec2;
  private final Ec2Settings settings;
  private final Ec2EventSources sources;

  /**
   * Spot hosts live hours to days; a host is re-certified by its setup when under a week is left.
   */
  private static final java.time.Duration HOST_CERT_VALIDITY = java.time.Duration.ofDays(90);

  /**
   * How old the host list the relay computes flood lists from may be: every watcher asks every poll
   * (2 s), the list costs a DescribeInstances.
   */
  private static final Duration OVERLAY_HOSTS_MAX_AGE = Duration.ofSeconds(5);

  private final Clock clock;
  private final Executor launchExecutor;
  private final Ec2Tags tags;
  private final Ec2Instances instances;
  private final ApiRetry retry;
  private final Ec2Launcher launcher;
  private final Ec2SpotPrices prices;
  private final OwnedIds owned;
  private final UnavailableOfferings unavailable;
  private final LaunchSlots slots;
  private final Map<String, KeyedLaunch> launches = new HashMap<>();

  /**
   * @param launchExecutor runs launches ({@link #start}); each holds a thread while it calls EC2
   *     and backs off
   */
  public Ec2HostProvider(
      Ec2Client ec2,
      Ec2Settings settings,
      HostUserData userData,
      Ec2EventSources sources,
      Clock clock,
      Sleeper sleeper,
      RandomGenerator random,
      Executor launchExecutor) {
    this.ec2 = Objects.requireNonNull(ec2, "ec2");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.sources = Objects.requireNonNull(sources, "sources");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.launchExecutor = Objects.requireNonNull(launchExecutor, "launchExecutor");
    this.tags = new Ec2Tags(settings.cluster());
    this.retry =
        new ApiRetry(
            settings.backoff(),
            settings.attemptsPerPool(),
            Objects.requireNonNull(sleeper, "sleeper"),
            Objects.requireNonNull(random, "random"));
    this.prices = new Ec2SpotPrices(ec2, retry, clock);
    this.instances =
        new Ec2Instances(settings.libvirt(), new Ec2Catalog(ec2, retry, prices, settings, clock));
    this.unavailable = new UnavailableOfferings(clock, settings.unavailableTtl());
    this.slots = new LaunchSlots(settings, clock);
    this.launcher =
        new Ec2Launcher(
            ec2,
            settings,
            Objects.requireNonNull(userData, "userData"),
            tags,
            unavailable,
            slots,
            retry,
            this::findByTokens,
            i -> instances.toHosts(List.of(i)).get(0),
            () -> new OverlayPeers(sources.overlayGateways()).forNewHost(list()));
    this.owned = new OwnedIds(clock, Duration.ofSeconds(10));
  }

  /**
   * Starts a launch and returns at once. The same key returns the same launch while it runs or
   * after it succeeded or was cancelled (a key names one host: use a new key after a cancel); after
   * a failure it starts again with the same ClientTokens, so an instance the failed launch did
   * create is found, not doubled. Across restarts EC2 keeps the promise: the tokens are derived
   * from cluster, key and offering.
   */
  @Override
  public HostLaunch start(HostRequest request) {
    synchronized (launches) {
      Instant now = clock.instant();
      launches
          .values()
          .removeIf(
              k -> k.launch().isFinished() && k.started().plus(REMEMBER_LAUNCH).isBefore(now));
      KeyedLaunch known = launches.get(request.key());
      if (known != null) {
        if (!known.request().pool().equals(request.pool())
            || known.request().market() != request.market()) {
          throw new IllegalArgumentException(
              "key: '" + request.key() + "' was already used for " + known.request());
        }
        if (!known.launch().result().isCompletedExceptionally() || known.launch().isCancelled()) {
          return known.launch();
        }
      }
      Set<String> tokens = ConcurrentHashMap.newKeySet();
      AsyncLaunch launch =
          AsyncLaunch.start(
              request.key(),
              launchExecutor,
              self -> registered(launcher.launch(request, this::liveMarkets, self, tokens)),
              (self, host) -> undo(self, host, tokens));
      launches.put(request.key(), new KeyedLaunch(request, launch, tokens, now));
      return launch;
    }
  }

  /**
   * Blocks until {@link #start} completes; throws its failure ({@link CancellationException} if
   * cancelled).
   */
  @Override
  public Host launch(HostRequest request) {
    try {
      return start(request).result().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new HostLaunchException("launch " + request.key() + " failed", e.getCause());
    }
  }

  private Host registered(Host host) {
    owned.add(host);
    return host;
  }

  /**
   * Terminates what a cancelled launch created: its host, and any instance carrying one of its
   * ClientTokens.
   */
  private void undo(AsyncLaunch launch, Host host, Set<String> tokens) {
    Set<String> ids = new HashSet<>();
    if (host != null) {
      ids.add(host.id());
    }
    if (!tokens.isEmpty()) {
      findByTokens(Set.copyOf(tokens)).stream()
          .filter(i -> !"terminated".equals(i.state().nameAsString()))
          .forEach(i -> ids.add(i.instanceId()));
    }
    for (String id : ids) {
      retry.call("TerminateInstances", () -> ec2.terminateInstances(r -> r.instanceIds(id)));
      slots.forget(id);
      LOG.log(System.Logger.Level.INFO, "launch {0} cancelled: terminated {1}", launch.key(), id);
    }
  }

  /** Our instances (tag filters, checked again here) that carry one of these ClientTokens. */
  private List<Instance> findByTokens(Set<String> tokens) {
    List<Filter> filters = new ArrayList<>(tags.ownershipFilters());
    filters.add(Ec2Tags.filter("client-token", tokens.toArray(String[]::new)));
    return describe(filters).stream().filter(i -> tokens.contains(i.clientToken())).toList();
  }

  /**
   * Live (pending or running) instances of this cluster, by id, with their market: what the caps
   * count.
   */
  private Map<String, Market> liveMarkets() {
    List<Filter> filters = new ArrayList<>(tags.ownershipFilters());
    filters.add(Ec2Tags.filter("instance-state-name", LIVE_STATES));
    Map<String, Market> live = new HashMap<>();
    describe(filters).forEach(i -> live.put(i.instanceId(), Ec2Instances.market(i)));
    return live;
  }

  private List<Instance> describe(List<Filter> filters) {
    return retry.call(
        "DescribeInstances",
        () -> {
          List<Instance> found = new ArrayList<>();
          ec2.describeInstancesPaginator(
                  DescribeInstancesRequest.builder().filters(filters).build())
              .reservations()
              .forEach(
                  r ->
                      r.instances().stream()
                          .filter(i -> tags.isOurs(i.tags()))
                          .forEach(found::add));
          return List.copyOf(found);
        });
  }

  private List<Instance> describeListed() {
    List<Filter> filters = new ArrayList<>(tags.ownershipFilters());
    filters.add(Ec2Tags.filter("instance-state-name", LISTED_STATES));
    List<Instance> found = describe(filters);
    owned.listed(
        found.stream().map(i -> new OwnedIds.Entry(i.instanceId(), Ec2Instances.pool(i))).toList());
    return found;
  }

  @Override
  public List<Host> list() {
    return instances.toHosts(describeListed());
  }

  /**
   * Our instances (by tag) that are not gone, not in {@code recordedHostIds}, and not the work of a
   * launch here that was in progress while they were listed (matched by ClientToken): one in
   * progress before the listing, or started or still in progress after it (a launch adds its
   * ClientToken before it sends RunInstances, so one that started during the listing may show an
   * instance in it).
   */
  @Override
  public List<Host> orphans(Collection<String> recordedHostIds) {
    Set<String> recorded = Set.copyOf(recordedHostIds);
    Set<String> inProgress = new HashSet<>();
    Set<AsyncLaunch> before = new HashSet<>(); // AsyncLaunch: equal only to itself
    synchronized (launches) {
      for (KeyedLaunch k : launches.values()) {
        before.add(k.launch());
        if (!k.launch().isFinished()) {
          inProgress.addAll(k.tokens());
        }
      }
    }
    List<Instance> listed = describeListed();
    synchronized (launches) {
      launches.values().stream()
          .filter(k -> !k.launch().isFinished() || !before.contains(k.launch()))
          .forEach(k -> inProgress.addAll(k.tokens()));
    }
    List<Instance> orphans =
        listed.stream()
            .filter(i -> !"shutting-down".equals(i.state().nameAsString()))
            .filter(i -> !recorded.contains(i.instanceId()))
            .filter(i -> !inProgress.contains(i.clientToken()))
            .toList();
    return instances.toHosts(orphans);
  }

  @Override
  public void terminate(String hostId) {
    if (hostId == null || !hostId.matches("i-[0-9a-f]{8,17}")) {
      throw new NotOwnedException(String.valueOf(hostId), "not an EC2 instance id");
    }
    if (!describeOwned(hostId)) {
      throw new NotOwnedException(
          hostId,
          "no instance with this id carries tag "
              + Ec2Tags.CLUSTER
              + "="
              + settings.cluster()
              + " and "
              + Ec2Tags.MANAGED
              + "=true");
    }
    retry.call("TerminateInstances", () -> ec2.terminateInstances(r -> r.instanceIds(hostId)));
    slots.forget(hostId);
    LOG.log(System.Logger.Level.INFO, "terminated {0}", hostId);
  }

  /**
   * True if the instance exists and carries our tags (server-side filter, then checked again here).
   */
  private boolean describeOwned(String hostId) {
    try {
      return retry.call(
          "DescribeInstances",
          () -> {
            List<Instance> found = new ArrayList<>();
            ec2.describeInstancesPaginator(
                    r -> r.instanceIds(hostId).filters(tags.ownershipFilters()))
                .reservations()
                .forEach(r -> found.addAll(r.instances()));
            return found.stream()
                .anyMatch(i -> hostId.equals(i.instanceId()) && tags.isOurs(i.tags()));
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

  /**
   * Ownership answer for the event intake: cached, refreshed from a full (tag-filtered) list at
   * most every 10 s.
   */
  boolean owns(String hostId) {
    Boolean known = owned.lookup(hostId);
    if (known != null) {
      return known;
    }
    try {
      describeListed();
    } catch (RuntimeException e) {
      throw new SinkUnavailableException("cannot check ownership of " + hostId + " right now", e);
    }
    return owned.contains(hostId);
  }

  /**
   * After a spot interruption notice is durable, its pool is blocked for spot placement for {@code
   * unavailableTtl}: replacements should not land where capacity is being reclaimed. Rebalance
   * recommendations block nothing.
   */
  @Override
  public AutoCloseable subscribe(HostEventSink sink) {
    HostEventSink blocking =
        event -> {
          sink.accept(event);
          if (event instanceof HostEvent.InterruptionNotice) {
            // capacity is being reclaimed there: a launch skipping it reads as no capacity
            owned
                .pool(event.hostId())
                .ifPresent(pool -> unavailable.mark(pool, Market.SPOT, LaunchFailure.NO_CAPACITY));
          }
        };
    EventIntake intake =
        new EventIntake(blocking, this::owns, SeenEvents.standard(clock), IntakeObserver.logging());
    List<AutoCloseable> open = new ArrayList<>();
    try {
      if (sources.sqs().isPresent() && settings.queueUrl().isPresent()) {
        ClusterQueue.verify(sources.sqs().get(), settings.queueUrl().get(), settings.cluster());
        SqsEventPump pump =
            new SqsEventPump(
                sources.sqs().get(), settings.queueUrl().get(), sources.sqsSettings(), intake);
        pump.start();
        open.add(pump);
      }
      if (sources.relayBind().isPresent()) {
        open.add(
            new ImdsRelayServer(
                sources.relayBind().get(),
                sources.relayToken(),
                sources.relayIdentities(),
                intake,
                sources
                    .hostCa()
                    .map(
                        ca ->
                            new HostCertificateEndpoint(
                                ca, sources.relayIdentities(), this::owns, HOST_CERT_VALIDITY)),
                Optional.of(
                    new OverlayPeersEndpoint(
                        sources.relayIdentities(),
                        new RecentHosts(this::list, clock, OVERLAY_HOSTS_MAX_AGE),
                        new OverlayPeers(sources.overlayGateways())))));
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
