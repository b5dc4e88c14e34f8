package io.spotnest.jenkins.orchestrator;

import io.spotnest.hosts.HostProvider;
import io.spotnest.hosts.OverlayPeers;
import io.spotnest.hosts.ssh.SshHostConfig;
import io.spotnest.hosts.ssh.StaticMachines;
import io.spotnest.jenkins.Ec2FieldRules;
import io.spotnest.jenkins.Ec2FleetSettings;
import io.spotnest.jenkins.FleetSettings;
import io.spotnest.jenkins.LibvirtClientMonitor;
import io.spotnest.migration.MigrationListener;
import io.spotnest.migration.MigrationPlanner;
import io.spotnest.migration.MigrationSettings;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.adapter.hosts.PoolMapping;
import io.spotnest.orchestrator.adapter.hosts.ProviderHostFleet;
import io.spotnest.orchestrator.adapter.migration.EngineAgentMover;
import io.spotnest.orchestrator.adapter.strategy.PolicyRiskStrategy;
import io.spotnest.orchestrator.adapter.vms.AgentImageSpecs;
import io.spotnest.orchestrator.adapter.vms.HypervisorAgentVms;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.placement.Limits;
import io.spotnest.orchestrator.port.HostFleet;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.port.MarketFeed;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.strategy.policy.MigrationAssumptions;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * The orchestrator's ports and fleet configuration built from a cloud's {@link FleetSettings}:
 * static hosts over SSH behind {@link ProviderHostFleet}, the migration engine over libvirt behind
 * {@link EngineAgentMover} (TLS between hosts, {@link ClusterPki}), agent VMs of the agent image
 * behind {@link HypervisorAgentVms} (their RAM, and their standing copies' standbys, in RAM or in
 * files as the cloud's {@code standbyMemory} says), the market of the cloud's {@code marketFeed}
 * file ({@link FileMarketFeed}, its spot pools' hosts and notices through {@link FeedHostFleet}) or
 * else an on-demand-only market, and the policy strategy; or, for a cloud configured for EC2, the
 * EC2 spot and on-demand hosts and the EC2 spot market ({@link Ec2Assembly}) with the same mover,
 * VMs and strategy. Everything lives under {@code $JENKINS_HOME/spotnest}. Closing it closes
 * everything it opened ({@link OpenedResources}); a build that fails half-way closes what it had
 * opened before it throws.
 */
record FleetAssembly(Orchestrator.Ports ports, FleetConfig config, OpenedResources opened)
    implements AutoCloseable {
  private static final Logger LOGGER = Logger.getLogger(FleetAssembly.class.getName());
  static final double LINK_EFFICIENCY = 0.8;
  static final double ASSUMED_DIRTY_MIBS = 50;
  static final double MAX_SPOT_RISK = 0.2;
  static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The longest socket directory: a unix socket's path holds 107 bytes, and the SSH forward adds
   * its own directory and socket name (up to 47: its random name can be 20 digits); 50 leaves a
   * margin (a `demo --jenkins` run failed with "Unix domain path too long" under the old 60).
   */
  static final int MAX_SOCKET_DIR = 50;

  /**
   * Builds it; throws {@link FleetConfigException} (one line) when libvirt's client library is
   * missing or a field is wrong.
   */
  static FleetAssembly build(FleetSettings s, Path spotnestDir, FleetSeams seams) {
    return build(s, spotnestDir, seams, new OpenedResources());
  }

  /** Builds it into {@code opened}, which is closed when building fails. */
  static FleetAssembly build(
      FleetSettings s, Path spotnestDir, FleetSeams seams, OpenedResources opened) {
    try {
      return open(s, spotnestDir, seams, opened);
    } catch (RuntimeException | Error e) {
      opened.close();
      throw e;
    }
  }

  /** Closes the provider, event pumps, tunnels, SDK clients, threads and libvirt connections. */
  @Override
  public void close() {
    opened.close();
  }

  private static FleetAssembly open(
      FleetSettings s, Path spotnestDir, FleetSeams seams, OpenedResources opened) {
    seams
        .libvirt()
        .missing(LibvirtClientMonitor.LIBRARY)
        .ifPresent(
            reason -> {
              throw new FleetConfigException(
                  new LibvirtClientMonitor(seams.libvirt()).getMessage());
            });
    if (s.ec2().isPresent()) {
      return ec2(s, s.ec2().get(), spotnestDir, seams, opened);
    }
    List<SshHostConfig> hosts;
    AgentImageSpecs images;
    Optional<StaticOverlay> overlay;
    try {
      StaticMachines machines =
          StaticHostList.parseMachines(s.staticHosts(), spotnestDir.resolve("ssh"));
      hosts = machines.hosts();
      images = images(s);
      overlay = staticOverlay(overlay(s), machines.gateways());
    } catch (IllegalArgumentException e) {
      throw new FleetConfigException(e.getMessage());
    }
    SshKeyFiles.requirePrivate(hosts);
    overlay.ifPresent(o -> SshKeyFiles.requirePrivate(o.gateways()));
    PolicyRiskStrategy strategy = strategy(s);
    FileMarketFeed feed = feed(s, spotnestDir);
    Set<PoolKey> spotPools = feed == null ? Set.of() : spotPools(feed, hosts);
    FleetConfig config = config(s, hosts, spotPools);
    ClusterPki.prepare(spotnestDir.resolve("pki"), s.cloudName(), hosts, seams.clock());
    HostProvider provider =
        seams.staticHosts().open(hosts, sockets(spotnestDir), seams.clock(), overlay);
    opened.add(
        "the static hosts' SSH sessions",
        provider,
        provider instanceof AutoCloseable c ? c : () -> {});
    ProviderHostFleet attached =
        opened.add(
            "the static hosts' events",
            new ProviderHostFleet(
                provider, PoolMapping.byZoneId(), "static", seams.clock(), ACK_TIMEOUT));
    HostFleet fleet =
        feed == null ? attached : new FeedHostFleet(attached, feed, spotPools, seams.clock());
    MarketFeed market = feed == null ? new OnDemandOnlyMarket() : feed;
    return assemble(
        s,
        provider,
        fleet,
        market,
        strategy,
        images,
        config,
        UnaryOperator.identity(),
        seams,
        opened);
  }

  /** An EC2 cloud: the EC2 hosts, spot and on-demand, and the EC2 spot market (Ec2Assembly). */
  private static FleetAssembly ec2(
      FleetSettings s,
      Ec2FleetSettings e,
      Path spotnestDir,
      FleetSeams seams,
      OpenedResources opened) {
    if (s.staticHosts() != null && !s.staticHosts().isBlank()) {
      throw new FleetConfigException(
          "ec2: a cloud runs on EC2 or on staticHosts, not both; leave staticHosts empty");
    }
    if (!s.overlayGateways().isBlank()) {
      throw new FleetConfigException(
          "overlayGateways: an EC2 cloud names its overlay gateways in ec2's overlayGateways;"
              + " leave this one empty");
    }
    AgentImageSpecs images;
    try {
      images = images(s);
    } catch (IllegalArgumentException ex) {
      throw new FleetConfigException(ex.getMessage());
    }
    PolicyRiskStrategy strategy = strategy(s);
    Ec2Assembly.Parts parts =
        Ec2Assembly.build(s, e, spotnestDir, seams, ClusterPki.cluster(s.cloudName()), opened);
    return assemble(
        s,
        parts.provider(),
        parts.fleet(),
        parts.market(),
        strategy,
        images,
        parts.config(),
        parts.tls()::clientUri,
        seams,
        opened);
  }

  /** The mover and the VMs over the provider's hosts, joined to its fleet, market and strategy. */
  private static FleetAssembly assemble(
      FleetSettings s,
      HostProvider provider,
      HostFleet fleet,
      MarketFeed market,
      PolicyRiskStrategy strategy,
      AgentImageSpecs images,
      FleetConfig config,
      UnaryOperator<String> clientUris,
      FleetSeams seams,
      OpenedResources opened) {
    TrackedHypervisors hypervisors =
        opened.add("the libvirt connections", new TrackedHypervisors(seams.hypervisors()));
    HostEndpoints endpoints = new HostEndpoints(provider, s.hostMemoryMb(), clientUris);
    long linkBytesPerSecond = s.linkMbps() * 125_000L;
    EngineAgentMover mover =
        new EngineAgentMover(
            endpoints::all,
            new MigrationPlanner(LINK_EFFICIENCY, Duration.ofSeconds(2)),
            hypervisors,
            seams.clock(),
            MigrationSettings.defaults(),
            (from, to) -> linkBytesPerSecond,
            new MigrationListener() {},
            r -> LOGGER.info("SpotNest: move of " + r.order().agentId() + " ended: " + r.outcome()),
            images.standbyMemory());
    HypervisorAgentVms vms = new HypervisorAgentVms(endpoints::of, hypervisors, images);
    return new FleetAssembly(
        new Orchestrator.Ports(fleet, mover, vms, market, strategy), config, opened);
  }

  /**
   * The agent VMs of the cloud's images, bridge and overlay MTU, in a file when the cloud's
   * standbys go to files; the mover asks its standing copies for the same standby memory. Throws
   * {@link IllegalArgumentException}, one line naming the field, on a bad one.
   */
  static AgentImageSpecs images(FleetSettings s) {
    return new AgentImageSpecs(s.imagesDir(), s.bridge(), s.overlayMtu(), s.standbyMemory());
  }

  /**
   * The static hosts' overlay: with gateways configured, every attached host floods to the others
   * and to them (an overlay always has one: agents reach Jenkins through it); none without. Throws
   * {@link IllegalArgumentException}, one line naming the field, on a value that is not IPv4.
   */
  static Optional<OverlayPeers> overlay(FleetSettings s) {
    String problem = Ec2FieldRules.overlayGateways(s.overlayGateways());
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    List<String> gateways = Ec2FieldRules.entries(s.overlayGateways());
    return gateways.isEmpty() ? Optional.empty() : Optional.of(new OverlayPeers(gateways));
  }

  /**
   * The static overlay: the cloud's gateways, and those of them listed in staticHosts (reached over
   * SSH). Throws {@link IllegalArgumentException}, one line naming staticHosts, for a listed
   * gateway whose VTEP is not in overlayGateways.
   */
  static Optional<StaticOverlay> staticOverlay(
      Optional<OverlayPeers> overlay, List<SshHostConfig> gateways) {
    for (SshHostConfig g : gateways) {
      String vtep = g.underlay().orElseThrow();
      if (overlay.isEmpty()) {
        throw new IllegalArgumentException(
            StaticHostList.FIELD
                + ": gateway '"
                + g.name()
                + "' is listed but overlayGateways is empty; put its VTEP "
                + vtep
                + " there");
      }
      if (!overlay.get().isGateway(vtep)) {
        throw new IllegalArgumentException(
            StaticHostList.FIELD
                + ": gateway '"
                + g.name()
                + "' has VTEP "
                + vtep
                + ", which is not in overlayGateways");
      }
    }
    return overlay.map(peers -> new StaticOverlay(peers, gateways));
  }

  /** The policy strategy, estimating migrations on the cloud's link. */
  static PolicyRiskStrategy strategy(FleetSettings s) {
    MigrationAssumptions link;
    try {
      link = new MigrationAssumptions(s.linkMbps() / 1000.0, LINK_EFFICIENCY, ASSUMED_DIRTY_MIBS);
    } catch (IllegalArgumentException e) {
      throw new FleetConfigException(
          "linkMbps: " + s.linkMbps() + " is too slow: " + e.getMessage());
    }
    return new PolicyRiskStrategy(
        new HazardRiskModel(HazardParameters.DEFAULTS),
        new MigrationPolicy(PolicyParameters.DEFAULTS, new ParametricMigrationEstimator(link)),
        Duration.ZERO,
        1);
  }

  /** One on-demand offer per static pool, each host offering the configured memory. */
  static FleetConfig config(FleetSettings s, List<SshHostConfig> hosts) {
    return config(s, hosts, Set.of());
  }

  /**
   * One offer per static pool, each host offering the configured memory: spot for the pools the
   * market feed lists, on-demand for the others (at least one pool must stay on-demand, the
   * evacuations' last resort).
   */
  static FleetConfig config(FleetSettings s, List<SshHostConfig> hosts, Set<PoolKey> spotPools) {
    Set<PoolKey> pools = new LinkedHashSet<>();
    hosts.forEach(h -> pools.add(poolOf(h)));
    List<HostOrder> offers =
        pools.stream()
            .map(
                p ->
                    new HostOrder(
                        p,
                        spotPools.contains(p) ? Market.SPOT : Market.ON_DEMAND,
                        s.hostMemoryMb()))
            .toList();
    if (offers.stream().noneMatch(o -> o.market() == Market.ON_DEMAND)) {
      throw new FleetConfigException(
          MarketFeedFile.FIELD
              + ": it lists every static pool as spot; leave at least one pool out (on-demand),"
              + " where agents go when spot hosts are reclaimed");
    }
    // standing copies as the cloud's standingCopies says (default AT_RISK: for agents whose
    // template chose "always" or "let the fleet decide" while their pool's hazard makes one worth
    // its cost, the rule the simulator scores); never for templates that chose "never"
    return new FleetConfig(
            offers,
            new Limits(hosts.size(), s.maxAgents(), 1, 1, MAX_SPOT_RISK),
            0,
            0.1,
            Duration.ofMinutes(30),
            Duration.ofMinutes(2))
        .withCopyMode(s.copyMode())
        .withStandbyStoreMiB(s.standbyStoreMiB());
  }

  /** The cloud's market feed, or null when it names none. */
  static FileMarketFeed feed(FleetSettings s, Path spotnestDir) {
    if (s.marketFeed() == null || s.marketFeed().isBlank()) {
      return null;
    }
    return new FileMarketFeed(spotnestDir.resolve(s.marketFeed().trim()));
  }

  /**
   * The static pools the feed lists now (read once, when the fleet is built); a file that cannot be
   * used then is one line naming the field, and a listed pool with no static host is refused.
   */
  static Set<PoolKey> spotPools(FileMarketFeed feed, List<SshHostConfig> hosts) {
    MarketFeedFile.Contents contents = feed.contents();
    if (feed.problem() != null) {
      throw new FleetConfigException(feed.problem());
    }
    Set<PoolKey> staticPools = new LinkedHashSet<>();
    hosts.forEach(h -> staticPools.add(poolOf(h)));
    for (PoolKey p : contents.spotPools()) {
      if (!staticPools.contains(p)) {
        throw new FleetConfigException(
            MarketFeedFile.FIELD + ": pool " + p + " is not the pool= of any static host");
      }
    }
    return contents.spotPools();
  }

  private static PoolKey poolOf(SshHostConfig h) {
    return new PoolKey(h.pool().instanceType(), h.pool().zone());
  }

  /**
   * The private directory (0700) of the hosts' local libvirt sockets: {@code sockets/} under {@code
   * $JENKINS_HOME/spotnest}, unless that path is too long for a unix socket (at most {@value
   * #MAX_SOCKET_DIR} characters leave room for the forward's own directory and socket name), then a
   * fresh one in the JVM's temporary directory, named in the log.
   */
  static Path sockets(Path spotnestDir) {
    Path dir = spotnestDir.resolve("sockets").toAbsolutePath();
    try {
      if (dir.toString().length() <= MAX_SOCKET_DIR) {
        ClusterPki.privateDir(dir);
        return dir;
      }
      Path shortDir =
          Files.createTempDirectory(
              Path.of(System.getProperty("java.io.tmpdir")),
              "spotnest-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      LOGGER.info(
          "SpotNest: "
              + dir
              + " is too long a path for unix sockets; the hosts' libvirt sockets are in "
              + shortDir);
      return shortDir;
    } catch (IOException e) {
      throw new FleetConfigException("SpotNest: cannot create " + dir + ": " + e.getMessage());
    }
  }
}
