package io.spotnest.jenkins.orchestrator;

import io.spotnest.hosts.DaemonThreads;
import io.spotnest.hosts.Host;
import io.spotnest.hosts.Pool;
import io.spotnest.hosts.ec2.Backoff;
import io.spotnest.hosts.ec2.Ec2Clients;
import io.spotnest.hosts.ec2.Ec2EventSources;
import io.spotnest.hosts.ec2.Ec2HostProvider;
import io.spotnest.hosts.ec2.Ec2Settings;
import io.spotnest.hosts.ec2.HostUserData;
import io.spotnest.hosts.ec2.IdentityRejectedException;
import io.spotnest.hosts.ec2.InstanceIdentityVerifier;
import io.spotnest.hosts.ec2.LibvirtAccess;
import io.spotnest.hosts.ec2.Pkcs7IdentityVerifier;
import io.spotnest.hosts.ec2.RelayToken;
import io.spotnest.hosts.ec2.Sleeper;
import io.spotnest.hosts.ec2.SqsEventPump;
import io.spotnest.jenkins.Ec2FieldRules;
import io.spotnest.jenkins.Ec2FleetSettings;
import io.spotnest.jenkins.FleetSettings;
import io.spotnest.orchestrator.adapter.hosts.PoolMapping;
import io.spotnest.orchestrator.adapter.hosts.ProviderHostFleet;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.placement.Limits;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.pki.ClusterCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The EC2 side of a {@link FleetAssembly}: the cloud's {@link Ec2FleetSettings} as the provider's
 * {@link Ec2Settings}, the {@link Ec2HostProvider} (real AWS SDK, credentials from the seam: the
 * SDK's default chain in production), its events (the cluster's SQS queue, the IMDS notice relay),
 * the spot market and the offers: every pool spot and on-demand. Pools are keyed by zone name, the
 * name the configuration, the launches and the spot prices use. The hosts' libvirt is reached over
 * TLS with certificates of the cluster CA under {@code $JENKINS_HOME/spotnest/pki} (the hosts'
 * signed on the relay, the controller's own in {@code pki/controller}); the relay token lives in
 * {@code $JENKINS_HOME/spotnest/ec2/relay-token}. The overlay gateways go into every host's flood
 * list, served by the relay and in each new host's user data.
 */
final class Ec2Assembly {
  static final String SOURCE = "ec2";
  static final Duration PRICE_REFRESH = Duration.ofMinutes(5);

  /** The pieces {@link FleetAssembly} joins to the shared mover, VMs and strategy. */
  record Parts(
      Ec2HostProvider provider,
      ProviderHostFleet fleet,
      Ec2SpotMarket market,
      FleetConfig config,
      ControllerTlsClient tls) {}

  private Ec2Assembly() {}

  /** Pools keyed by instance type and zone name, both ways. */
  static final PoolMapping BY_ZONE_NAME =
      new PoolMapping() {
        @Override
        public Pool poolFor(HostOrder order) {
          return new Pool(order.pool().instanceType(), order.pool().zoneId());
        }

        @Override
        public PoolKey keyOf(Host host) {
          return new PoolKey(host.pool().instanceType(), host.pool().zone());
        }
      };

  /**
   * The provider's settings; one line naming the cloud's field when a value cannot be used. Makes
   * no call.
   */
  static Ec2Settings settings(String cluster, Ec2FleetSettings e) {
    String problem = Ec2FieldRules.problem(e);
    if (problem != null) {
      throw new FleetConfigException(problem);
    }
    try {
      Map<String, String> subnets = new HashMap<>();
      Ec2FieldRules.entries(e.subnets())
          .forEach(
              s -> subnets.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1)));
      Map<String, BigDecimal> prices = new HashMap<>();
      Ec2FieldRules.entries(e.onDemandPrices())
          .forEach(
              p ->
                  prices.put(
                      p.substring(0, p.indexOf('=')),
                      new BigDecimal(p.substring(p.indexOf('=') + 1))));
      return new Ec2Settings(
          cluster,
          e.region(),
          e.ami(),
          Ec2FieldRules.entries(e.pools()).stream().map(p -> Pool.parse("pools", p)).toList(),
          subnets,
          Ec2FieldRules.entries(e.securityGroups()),
          optional(e.instanceProfile()),
          e.maxHosts(),
          e.maxSpotHosts(),
          false,
          3,
          new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(20)),
          Duration.ofMinutes(3),
          LibvirtAccess.TLS,
          URI.create(e.relayUrl()),
          optional(e.queueUrl()),
          optional(e.ec2Endpoint()).map(URI::create),
          optional(e.sqsEndpoint()).map(URI::create),
          Duration.ofSeconds(10),
          Optional.empty(),
          "/dev/xvda",
          prices);
    } catch (IllegalArgumentException ex) {
      throw new FleetConfigException(fieldNamed(ex.getMessage()));
    }
  }

  /** Builds the provider, subscribes to its events and prepares the offers. */
  static Parts build(
      FleetSettings s,
      Ec2FleetSettings e,
      Path spotnestDir,
      FleetSeams seams,
      String cluster,
      OpenedResources opened) {
    Ec2Settings settings = settings(cluster, e);
    Path pki = spotnestDir.resolve("pki");
    ClusterPki.prepare(pki, s.cloudName(), List.of(), seams.clock());
    ClusterCa ca;
    try {
      ca = ClusterCa.load(pki.resolve("ca"), seams.clock());
    } catch (IOException ex) {
      throw new FleetConfigException(
          "SpotNest: cannot read the cluster CA under " + pki + ": " + ex.getMessage());
    }
    ControllerTlsClient tls = ControllerTlsClient.prepare(pki, ca, seams.clock());
    Path ec2Dir = spotnestDir.resolve("ec2");
    RelayToken token = RelayTokenFile.loadOrCreate(ec2Dir.resolve("relay-token"));
    Optional<InetSocketAddress> relayBind = optional(e.relayBind()).map(Ec2Assembly::address);
    InstanceIdentityVerifier identities =
        relayBind.isPresent()
            ? identities(ec2Dir.resolve(e.identityCertificate().trim()), settings.region())
            : signed -> {
              throw new IdentityRejectedException("the notice relay is off (no relayBind)");
            };
    AwsCredentialsProvider credentials = seams.awsCredentials().get();
    Ec2Client ec2 = opened.add("the EC2 client", Ec2Clients.ec2(settings, credentials));
    Optional<SqsClient> sqs =
        settings
            .queueUrl()
            .map(q -> opened.add("the SQS client", Ec2Clients.sqs(settings, credentials)));
    ExecutorService launches = launchThreads();
    opened.add("the EC2 launch threads", launches, launches::shutdownNow);
    Ec2HostProvider provider =
        new Ec2HostProvider(
            ec2,
            settings,
            new HostUserData(settings, token, Optional.empty(), Optional.of(ca.certificate())),
            new Ec2EventSources(
                sqs,
                SqsEventPump.Settings.standard(),
                relayBind,
                token,
                identities,
                relayBind.map(b -> ca),
                Ec2FieldRules.entries(e.overlayGateways())),
            seams.clock(),
            Sleeper.real(),
            new SplittableRandom(),
            launches);
    ProviderHostFleet fleet;
    try {
      fleet =
          opened.add(
              "the EC2 host events",
              new ProviderHostFleet(
                  provider, BY_ZONE_NAME, SOURCE, seams.clock(), FleetAssembly.ACK_TIMEOUT));
    } catch (IllegalArgumentException ex) {
      throw new FleetConfigException(fieldNamed(ex.getMessage()));
    } catch (UncheckedIOException ex) {
      throw new FleetConfigException(
          "relayBind: cannot listen on "
              + e.relayBind().trim()
              + ": "
              + ex.getCause().getMessage());
    }
    Ec2SpotMarket market =
        new Ec2SpotMarket(
            provider::spotPrices,
            settings.pools(),
            settings.onDemandPrices(),
            seams.clock(),
            PRICE_REFRESH);
    return new Parts(provider, fleet, market, config(s, settings), tls);
  }

  /** Every pool spot, then on-demand, each host offering the configured memory. */
  static FleetConfig config(FleetSettings s, Ec2Settings settings) {
    List<HostOrder> offers = new ArrayList<>();
    for (Pool pool : settings.pools()) {
      PoolKey key = new PoolKey(pool.instanceType(), pool.zone());
      offers.add(new HostOrder(key, Market.SPOT, s.hostMemoryMb()));
      offers.add(new HostOrder(key, Market.ON_DEMAND, s.hostMemoryMb()));
    }
    // standing copies as the cloud's standingCopies says (default AT_RISK: for agents whose
    // template chose "always" or "let the fleet decide" while their pool's hazard makes one worth
    // its cost, the rule the simulator scores); never for templates that chose "never"
    return new FleetConfig(
            offers,
            new Limits(settings.maxHosts(), s.maxAgents(), 1, 1, FleetAssembly.MAX_SPOT_RISK),
            0,
            0.1,
            Duration.ofMinutes(30),
            Duration.ofMinutes(10))
        .withCopyMode(s.copyMode())
        .withStandbyStoreMiB(s.standbyStoreMiB());
  }

  private static InstanceIdentityVerifier identities(Path certificate, String region) {
    try {
      return Pkcs7IdentityVerifier.fromPem(certificate, region);
    } catch (IOException | RuntimeException ex) {
      throw new FleetConfigException(
          "identityCertificate: cannot read " + certificate + ": " + ex.getMessage());
    }
  }

  private static InetSocketAddress address(String bind) {
    int colon = bind.lastIndexOf(':');
    return new InetSocketAddress(
        bind.substring(0, colon), Integer.parseInt(bind.substring(colon + 1)));
  }

  private static ExecutorService launchThreads() {
    return Executors.newCachedThreadPool(DaemonThreads.named("spotnest-ec2-launch"));
  }

  private static Optional<String> optional(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** The provider's key names (docs/aws.md) as the cloud's field names. */
  static String fieldNamed(String message) {
    String[][] names = {
      {"sqs.queueUrl", "queueUrl"},
      {"cap.hosts", "maxHosts"},
      {"cap.spotHosts", "maxSpotHosts"},
      {"relay.url", "relayUrl"},
      {"image", "ami"},
      {"subnet.", "subnets"},
      {"price.onDemand.", "onDemandPrices"},
      {"cluster", "name"}
    };
    String line = message == null ? "invalid value" : message.lines().findFirst().orElse("");
    for (String[] n : names) {
      if (line.startsWith(n[0])) {
        int colon = line.indexOf(':');
        return n[1] + (colon >= 0 ? line.substring(colon) : ": " + line);
      }
    }
    return line;
  }
}
