package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.ec2.Ec2QueryFake;
import io.spotnest.hosts.ec2.Ec2Tags;
import io.spotnest.hosts.ec2.ElasticMq;
import io.spotnest.hosts.ec2.OverlayPeersEndpoint;
import io.spotnest.hosts.ec2.TestIdentityCa;
import io.spotnest.jenkins.orchestrator.CloudFleetWiring;
import io.spotnest.jenkins.orchestrator.FleetConfigException;
import io.spotnest.jenkins.orchestrator.FleetSeams;
import io.spotnest.jenkins.orchestrator.OrchestratorBackend;
import io.spotnest.jenkins.port.MarketPolicy;
import io.spotnest.migration.StandbyMemory;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.adapter.hosts.ProviderHostFleet;
import io.spotnest.orchestrator.adapter.migration.EngineAgentMover;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.CopyOrder;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.ObservedHost;
import io.spotnest.orchestrator.testing.StubHypervisors;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.orchestrator.tick.Ids;
import io.spotnest.pki.ClusterCa;
import io.spotnest.strategy.fleet.CopyMode;
import io.spotnest.testbed.CapturedLogs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A cloud configured for EC2, assembled by the production wiring: the real EC2 host provider and
 * AWS SDK against the local EC2 Query API fake and an in-process SQS server (elasticmq); fakes only
 * at the hypervisors and libvirt's native library.
 */
class Ec2FleetWiringTest {
  private static final String ACCESS_KEY = "AKIDSPOTNESTPLUGIN1";
  private static final String SECRET_KEY = "plugin-s3cr3t-Never-Log-Me-42";

  @TempDir Path home;
  private Ec2QueryFake ec2;
  private ElasticMq sqs;
  private final List<CloudFleetWiring> wirings = new ArrayList<>();
  @RegisterExtension final CapturedLogs logs = CapturedLogs.messages();

  @BeforeEach
  void start() throws Exception {
    ec2 = new Ec2QueryFake();
    sqs = new ElasticMq();
  }

  @AfterEach
  void stop() {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (CloudFleetWiring wiring : wirings) {
      try {
        if (wiring.ports().fleet() instanceof AutoCloseable fleet) {
          closing.add(
              CompletableFuture.runAsync(
                  () -> {
                    try {
                      fleet.close();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }));
        }
      } catch (FleetConfigException e) {
        // never built
      }
    }
    sqs.close(); // ends the long poll in flight, so the event pumps stop at once
    ec2.close();
    closing.forEach(c -> c.orTimeout(30, TimeUnit.SECONDS).join());
  }

  private Ec2Fleet fleet() {
    Ec2Fleet fleet =
        new Ec2Fleet(
            "us-east-1", "ami-0123456789abcdef0", "c8i.2xlarge@us-east-1a, m8i.2xlarge@us-east-1b");
    fleet.setSubnets("us-east-1a=subnet-0aaa1111");
    fleet.setSecurityGroups("sg-0bbb2222");
    fleet.setMaxHosts(4);
    fleet.setMaxSpotHosts(3);
    fleet.setOnDemandPrices("c8i.2xlarge=0.4032, m8i.2xlarge=0.4838");
    fleet.setRelayUrl("http://127.0.0.1:9/");
    fleet.setEc2Endpoint(ec2.endpoint().toString());
    return fleet;
  }

  private SpotNestCloud cloud(Ec2Fleet fleet) {
    SpotNestCloud cloud = new SpotNestCloud("ci");
    cloud.setHostMemoryMb(12288);
    cloud.setMaxAgents(6);
    cloud.setEc2(fleet);
    return cloud;
  }

  private CloudFleetWiring wiring(FleetSettings settings) {
    StubHypervisors hypervisors = new StubHypervisors();
    CloudFleetWiring wiring =
        new CloudFleetWiring(
            () -> List.of(settings),
            () -> home,
            new FleetSeams(
                library -> Optional.empty(),
                (hosts, socketDir, clock, overlay) -> {
                  throw new AssertionError("an EC2 cloud opens no static hosts");
                },
                hypervisors::connect,
                Clock.systemUTC(),
                () ->
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))));
    wirings.add(wiring);
    return wiring;
  }

  @Test
  void everyPoolIsOfferedSpotAndOnDemandWithinTheFleetsHostCap() {
    FleetConfig config = wiring(cloud(fleet()).fleetSettings()).config();

    PoolKey c8i = new PoolKey("c8i.2xlarge", "us-east-1a");
    PoolKey m8i = new PoolKey("m8i.2xlarge", "us-east-1b");
    assertEquals(
        List.of(
            new HostOrder(c8i, Market.SPOT, 12288),
            new HostOrder(c8i, Market.ON_DEMAND, 12288),
            new HostOrder(m8i, Market.SPOT, 12288),
            new HostOrder(m8i, Market.ON_DEMAND, 12288)),
        config.offers());
    assertEquals(4, config.limits().maxHosts());
    assertEquals(6, config.limits().maxAgents());
    assertEquals(
        CopyMode.AT_RISK,
        config.copyMode(),
        "copies at raised hazard for the agents of templates that chose ALWAYS or FLEET (the"
            + " default), never NEVER");
  }

  @Test
  void theCloudsStandingCopiesSettingIsTheFleetsCopyMode() {
    for (CopyMode mode : CopyMode.values()) {
      SpotNestCloud cloud = cloud(fleet());
      cloud.setStandingCopies(mode);
      assertEquals(mode, wiring(cloud.fleetSettings()).config().copyMode(), mode.name());
    }
  }

  @Test
  void theCloudsStandbyMemoryIsWhatTheStandingCopiesAsk() {
    for (StandbyMemory memory : StandbyMemory.values()) {
      SpotNestCloud cloud = cloud(fleet());
      cloud.setStandbyMemory(memory);
      cloud.setStandbyStoreGb(32);
      var wired = wiring(cloud.fleetSettings());
      EngineAgentMover mover = assertInstanceOf(EngineAgentMover.class, wired.ports().mover());
      CopyOrder toFile = new CopyOrder("copy-1", "ci-1", "h1", "h2", true);
      if (memory == StandbyMemory.FILE) {
        assertEquals(memory, mover.copyRequest(toFile).standbyMemory(), memory.name());
      } else {
        assertThrows(IllegalStateException.class, () -> mover.copyRequest(toFile));
      }
      assertEquals(
          memory == StandbyMemory.FILE ? 32 * 1024 : 0,
          wired.config().standbyStoreMiB(),
          memory.name());
    }
  }

  @Test
  void whenTheOrchestratorAsksForASpotHostItIsLaunchedThroughTheEc2QueryApi() throws Exception {
    Ec2Fleet fleet = fleet();
    fleet.setOverlayGateways("10.0.9.1");
    CloudFleetWiring wiring = wiring(cloud(fleet).fleetSettings());
    Orchestrator.Ports ports = wiring.ports();
    assertInstanceOf(ProviderHostFleet.class, ports.fleet());
    HostOrder spot = wiring.config().offers().get(0);

    ports.fleet().launch("launch-1", spot);
    ObservedHost host = awaitHost(ports);

    assertEquals("launch-1", host.launchKey());
    assertTrue(host.id().matches("i-[0-9a-f]{17}"), host.id());
    assertEquals(new PoolKey("c8i.2xlarge", "us-east-1a"), host.pool());
    assertEquals(Market.SPOT, host.market());
    List<Ec2QueryFake.Request> runs = ec2.requests("RunInstances");
    assertEquals(1, runs.size());
    Ec2QueryFake.Request run = runs.get(0);
    assertEquals("spot", run.get("InstanceMarketOptions.MarketType"));
    assertEquals("c8i.2xlarge", run.get("InstanceType"));
    assertEquals("ami-0123456789abcdef0", run.get("ImageId"));
    assertEquals("us-east-1a", run.get("Placement.AvailabilityZone"));
    assertEquals("subnet-0aaa1111", run.get("SubnetId"));
    assertTrue(run.params().containsValue("spotnest:cluster"), run.params().toString());
    assertTrue(run.params().containsValue("ci"), run.params().toString());

    String userData = gunzip(run.get("UserData"));
    Path relayToken = home.resolve("spotnest/ec2/relay-token");
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(relayToken)));
    String token = Files.readString(relayToken).strip();
    assertTrue(token.length() >= 32, "a generated relay token");
    assertTrue(userData.contains(token), "the hosts get the relay token in their user-data");
    assertTrue(
        userData.contains(
            Files.readString(home.resolve("spotnest/pki/ca/ca-cert.pem"))
                .strip()
                .lines()
                .skip(1)
                .findFirst()
                .orElseThrow()),
        "the hosts trust the cluster CA under JENKINS_HOME");
    assertTrue(userData.contains("http://127.0.0.1:9/"), "the watcher posts to relayUrl");
    assertTrue(
        userData.contains("export SPOTNEST_OVERLAY_PEERS='10.0.9.1'\n"),
        "the first host floods to the configured gateway from its start");
    for (String log : logs.lines()) {
      assertFalse(log.contains(SECRET_KEY), log);
      assertFalse(log.contains(token), log);
    }
  }

  @Test
  void anAgentOfASpotOnlyTemplateMakesTheOrchestratorLaunchASpotHostOnEc2() throws Exception {
    Instant recent = Instant.now().minus(Duration.ofMinutes(5));
    ec2.addPrice("c8i.2xlarge", "us-east-1a", "0.1234", recent);
    ec2.addPrice("m8i.2xlarge", "us-east-1b", "0.2000", recent);
    CloudFleetWiring wiring = wiring(cloud(fleet()).fleetSettings());
    OrchestratorBackend backend =
        new OrchestratorBackend(() -> home, () -> wiring, Clock.systemUTC(), Ids.random());
    SpotNestTemplate template = new SpotNestTemplate("linux");
    template.setMarketPolicy(MarketPolicy.SPOT_ONLY);
    template.setMemoryMb(2048);
    SpotNestAgent agent =
        new SpotNestAgent("ci-00c0ffee", "ci", template, "http://127.0.0.1:8080/");

    backend.controller().startAgent(agent.launchRequest(null));
    for (int i = 0; i < 50 && ec2.requests("RunInstances").isEmpty(); i++) {
      backend.controller().tick();
      Thread.sleep(100);
    }

    List<Ec2QueryFake.Request> runs = ec2.requests("RunInstances");
    assertEquals(1, runs.size(), "one host for one agent");
    assertEquals("spot", runs.get(0).get("InstanceMarketOptions.MarketType"));
    assertEquals("c8i.2xlarge", runs.get(0).get("InstanceType"));
    ObservedHost host = awaitHost(wiring.ports());
    assertEquals(Market.SPOT, host.market());
    assertTrue(host.id().matches("i-[0-9a-f]{17}"), host.id());
    assertFalse(host.launchKey().startsWith("unknown:"), "launched under the orchestrator's key");
  }

  @Test
  void spotPricesOfTheConfiguredPoolsBecomeQuotesAgainstTheOnDemandPrices() {
    Instant recent = Instant.now().minus(Duration.ofMinutes(5));
    ec2.addPrice("c8i.2xlarge", "us-east-1a", "0.1210", recent.minusSeconds(60));
    ec2.addPrice("c8i.2xlarge", "us-east-1a", "0.1234", recent);
    ec2.addPrice("m8i.2xlarge", "us-east-1b", "0.2000", recent);
    ec2.addPrice("c8i.2xlarge", "us-east-1c", "0.0500", recent);
    CloudFleetWiring wiring = wiring(cloud(fleet()).fleetSettings());

    List<MarketQuote> quotes =
        wiring.ports().market().quotes().stream()
            .sorted(Comparator.comparing(q -> q.pool().toString()))
            .toList();

    assertEquals(2, quotes.size(), quotes.toString());
    assertEquals(new PoolKey("c8i.2xlarge", "us-east-1a"), quotes.get(0).pool());
    assertEquals(0.1234, quotes.get(0).spotUsdPerHour(), 1e-9);
    assertEquals(0.4032, quotes.get(0).onDemandUsdPerHour(), 1e-9);
    assertEquals(new PoolKey("m8i.2xlarge", "us-east-1b"), quotes.get(1).pool());
    assertEquals(0.2000, quotes.get(1).spotUsdPerHour(), 1e-9);
    assertEquals(0.4838, quotes.get(1).onDemandUsdPerHour(), 1e-9);
    assertEquals(1, ec2.requests("DescribeSpotPriceHistory").size());
  }

  @Test
  void interruptionEventsComeFromTheClustersOwnQueue() {
    String own = sqs.createClusterQueue("spotnest-ci-events", "ci");
    String other = sqs.createClusterQueue("spotnest-other-events", "other");
    Ec2Fleet fleet = fleet();
    fleet.setSqsEndpoint(sqs.endpoint.toString());
    fleet.setQueueUrl(own);
    assertInstanceOf(ProviderHostFleet.class, wiring(cloud(fleet).fleetSettings()).ports().fleet());

    Ec2Fleet foreign = fleet();
    foreign.setSqsEndpoint(sqs.endpoint.toString());
    foreign.setQueueUrl(other);
    FleetConfigException e =
        assertThrows(
            FleetConfigException.class, () -> wiring(cloud(foreign).fleetSettings()).ports());
    assertTrue(e.getMessage().startsWith("queueUrl: queue " + other), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void theRelayAnswersAHostsFloodListWithTheConfiguredOverlayGateways() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path ec2Dir = Files.createDirectories(home.resolve("spotnest/ec2"));
    Files.writeString(
        ec2Dir.resolve("aws-rsa2048.pem"), ClusterCa.pem(TestIdentityCa.aws().certificate));
    Ec2Fleet fleet = fleet();
    fleet.setRelayBind("127.0.0.1:" + port);
    fleet.setIdentityCertificate("aws-rsa2048.pem");
    fleet.setOverlayGateways("10.0.9.2, 10.0.9.1");
    Map<String, String> ours = Map.of(Ec2Tags.CLUSTER, "ci", Ec2Tags.MANAGED, "true");
    String self = ec2.addInstanceAt("127.0.0.1", ours, "running");
    ec2.addInstanceAt("10.0.0.7", ours, "running");
    ec2.addInstanceAt("10.0.0.8", Map.of(), "running");

    wiring(cloud(fleet).fleetSettings()).ports();

    String token = Files.readString(ec2Dir.resolve("relay-token")).trim();
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + OverlayPeersEndpoint.PATH))
                    .header("Authorization", "Bearer " + token)
                    .header(
                        OverlayPeersEndpoint.IDENTITY_HEADER,
                        TestIdentityCa.aws()
                            .signedIdentity(self, "127.0.0.1", "us-east-1")
                            .replace("\n", ""))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals(
        "10.0.0.7\n10.0.9.1\n10.0.9.2\n",
        answer.body(),
        "the other host of the cluster and the configured gateways, never itself");
  }

  @Test
  void aBadOverlayGatewayIsOneLineNamingItAndNothingIsCalled() throws Exception {
    Ec2FleetSettings e = cloud(fleet()).fleetSettings().ec2().orElseThrow();
    Ec2FleetSettings v6Gateway = edited(e, Map.of("overlayGateways", "10.0.9.1 fd00::1"));
    assertOneLine(
        "overlayGateways: 'fd00::1' is not an IPv4 address",
        cloud(fleet()).fleetSettings().withEc2(v6Gateway));
    assertTrue(ec2.requests("DescribeInstances").isEmpty(), "no EC2 call with a bad field");
  }

  @Test
  void aBadFieldIsOneLineNamingItAndNothingIsCalled() throws Exception {
    SpotNestCloud cloud = cloud(fleet());
    FleetSettings good = cloud.fleetSettings();
    Ec2FleetSettings e = good.ec2().orElseThrow();
    Ec2FleetSettings otherRegion = edited(e, Map.of("pools", "c8i.2xlarge@eu-west-1a"));
    assertOneLine("pools: ", withEc2(good, otherRegion));
    Ec2FleetSettings tooManySpot = edited(e, Map.of("maxHosts", 2, "maxSpotHosts", 3));
    assertOneLine("maxSpotHosts: ", withEc2(good, tooManySpot));
    Ec2FleetSettings noRelay = edited(e, Map.of("relayUrl", ""));
    assertOneLine("relayUrl: ", withEc2(good, noRelay));
    Ec2FleetSettings bindWithoutCertificate =
        edited(e, Map.of("relayBind", "127.0.0.1:0", "identityCertificate", ""));
    assertOneLine("identityCertificate: ", withEc2(good, bindWithoutCertificate));
    cloud.setStaticHosts(
        "rack1-a sn@127.0.0.11 pool=static-32c@rack1 key=id_ed25519 known_hosts=known_hosts");
    assertOneLine("ec2: ", cloud.fleetSettings());

    assertTrue(ec2.requests("RunInstances").isEmpty());
    assertTrue(ec2.requests("DescribeInstances").isEmpty(), "no EC2 call with a bad field");
  }

  private static FleetSettings withEc2(FleetSettings s, Ec2FleetSettings ec2) {
    return s.withEc2(ec2);
  }

  private void assertOneLine(String field, FleetSettings settings) {
    FleetConfigException e =
        assertThrows(FleetConfigException.class, () -> wiring(settings).ports());
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertEquals(0, e.getStackTrace().length);
  }

  /** The one EC2 host the orchestrator launched. */
  private static ObservedHost awaitHost(Orchestrator.Ports ports) throws InterruptedException {
    return ListedHosts.await(ports, 1, Duration.ofSeconds(20)).get(0);
  }

  private static String gunzip(String base64) throws Exception {
    byte[] raw = Base64.getDecoder().decode(base64);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw));
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /**
   * {@code e} with the components {@code changes} names set to its values, built past the form's
   * checks (the setters of {@link Ec2Fleet} refuse a bad value; here the wiring's own checks are
   * under test).
   */
  private static Ec2FleetSettings edited(Ec2FleetSettings e, Map<String, Object> changes)
      throws Exception {
    RecordComponent[] components = Ec2FleetSettings.class.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      String name = components[i].getName();
      values[i] =
          changes.containsKey(name) ? changes.get(name) : components[i].getAccessor().invoke(e);
      types[i] = components[i].getType();
    }
    assertTrue(
        Arrays.stream(components)
            .map(RecordComponent::getName)
            .toList()
            .containsAll(changes.keySet()),
        "no such setting among " + changes.keySet());
    return Ec2FleetSettings.class.getDeclaredConstructor(types).newInstance(values);
  }
}
