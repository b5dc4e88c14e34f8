package io.spotnest.hosts.ec2;

import static io.spotnest.hosts.ec2.Ec2Fixture.OURS;
import static io.spotnest.hosts.ec2.Ec2Fixture.POOL_A;
import static io.spotnest.hosts.ec2.Ec2Fixture.POOL_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostCapacity;
import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.HostState;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.NotOwnedException;
import io.spotnest.hosts.Pool;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Ec2HostProviderTest {

  @RegisterExtension final Ec2Fixture.PerTest fixtures = new Ec2Fixture.PerTest();
  private Ec2Fixture fx;

  @Test
  void spotLaunchSendsMarketOptionsTagsUserDataAndImdsV2() throws Exception {
    fx = fixtures.open();
    Host host = fx.provider.launch(new HostRequest(POOL_A, Market.SPOT));

    Ec2QueryFake.Request run = fx.fake.requests("RunInstances").get(0);
    assertEquals("spot", run.get("InstanceMarketOptions.MarketType"));
    assertEquals("one-time", run.get("InstanceMarketOptions.SpotOptions.SpotInstanceType"));
    assertEquals("c8i.2xlarge", run.get("InstanceType"));
    assertEquals("us-east-1a", run.get("Placement.AvailabilityZone"));
    assertEquals("subnet-0aaa1111", run.get("SubnetId"));
    assertEquals("sg-0bbb2222", run.get("SecurityGroupId.1"));
    assertEquals("required", run.get("MetadataOptions.HttpTokens"));
    assertEquals(
        "1",
        run.get("MetadataOptions.HttpPutResponseHopLimit"),
        "nested VMs (one hop further) cannot reach IMDS");
    String script =
        new String(
            new java.util.zip.GZIPInputStream(
                    new java.io.ByteArrayInputStream(
                        Base64.getDecoder().decode(run.get("UserData"))))
                .readAllBytes(),
            StandardCharsets.UTF_8);
    assertTrue(script.contains("spotnest-imds-watcher"), "user-data installs the watcher");
    assertTrue(script.contains("SPOTNEST_LIBVIRT_ACCESS=tls"));
    assertEquals(
        Map.of(
            "HttpTokens",
            "required",
            "HttpPutResponseHopLimit",
            "1",
            "HttpEndpoint",
            "enabled",
            "InstanceMetadataTags",
            "disabled"),
        fx.fake.instance(host.id()).metadataOptions,
        "the instance EC2 made has IMDSv2 only, one hop");
    Map<String, String> tags = fx.fake.instance(host.id()).tags;
    assertEquals("ci", tags.get(Ec2Tags.CLUSTER));
    assertEquals("true", tags.get(Ec2Tags.MANAGED));
    assertEquals("c8i.2xlarge@us-east-1a", tags.get(Ec2Tags.POOL));
    assertEquals(host.launchKey().orElseThrow(), tags.get(Ec2Tags.LAUNCH_KEY), "the launch's key");
    for (String type : List.of("instance", "volume", "network-interface")) {
      assertTrue(run.params().containsValue(type), "tags requested for " + type);
    }

    assertEquals(Market.SPOT, host.market());
    assertEquals(POOL_A, host.pool());
    assertEquals(HostState.PENDING, host.state());
    assertEquals(
        URI.create("qemu+tls://" + fx.fake.instance(host.id()).privateIp + "/system"),
        host.libvirtUri());
  }

  @Test
  void aLaunchPassesTheNewHostTheOtherLiveHostsAsItsFirstFloodList() throws Exception {
    fx = fixtures.open();
    Ec2QueryFake.FakeInstance first =
        fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, OURS, "running");
    Ec2QueryFake.FakeInstance second =
        fx.fake.addInstance("m8i.2xlarge", "us-east-1b", false, OURS, "running");
    fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, OURS, "stopped");
    fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, Map.of(), "running");

    fx.provider.launch(new HostRequest(POOL_A, Market.SPOT));

    String script = userData(fx.fake.requests("RunInstances").get(0));
    assertTrue(
        script.contains(
            "export SPOTNEST_OVERLAY_PEERS='" + first.privateIp + "," + second.privateIp + "'\n"),
        "both running hosts of the cluster, not the stopped one nor another cluster's: " + script);
  }

  @Test
  void theFirstHostOfAClusterStartsWithAnEmptyFloodList() throws Exception {
    fx = fixtures.open();
    fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, Map.of(), "running");

    fx.provider.launch(new HostRequest(POOL_A, Market.SPOT));

    String script = userData(fx.fake.requests("RunInstances").get(0));
    assertTrue(
        script.contains("export SPOTNEST_OVERLAY_PEERS=''\n"),
        "empty, as setup-host.sh reads it (no peers): " + script);
  }

  private static String userData(Ec2QueryFake.Request run) throws java.io.IOException {
    return new String(
        new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(Base64.getDecoder().decode(run.get("UserData"))))
            .readAllBytes(),
        StandardCharsets.UTF_8);
  }

  @Test
  void aHostCarriesPeerUriCapacityZoneIdAndPrice() throws Exception {
    fx = fixtures.open("price.onDemand.m8i.2xlarge = 0.4032", "disk.gib = 200");
    fx.fake.addPrice("c8i.2xlarge", "us-east-1a", "0.1234", Instant.parse("2026-11-23T11:40:00Z"));
    Host spot = fx.provider.launch(new HostRequest(POOL_A, Market.SPOT));
    Host onDemand = fx.provider.launch(new HostRequest(POOL_B, Market.ON_DEMAND));
    Host withStore =
        fx.provider.launch(
            new HostRequest(new Pool("c8id.2xlarge", "us-east-1c"), Market.ON_DEMAND));

    assertEquals(
        spot.libvirtUri(),
        spot.peerUri(),
        "the other hosts reach libvirtd at the same private address");
    assertEquals(
        Optional.of(fx.fake.instance(spot.id()).privateIp),
        spot.underlayAddress(),
        "the VXLAN underlay (VTEP) address is the instance's private IP");
    assertEquals(new HostCapacity(8, 16384, 200), spot.capacity());
    assertEquals("use1-az6", spot.zoneId());
    assertEquals(
        Optional.of(new BigDecimal("0.1234")),
        spot.pricePerHour(),
        "spot: the pool's latest spot price");
    assertEquals(new HostCapacity(8, 32768, 200), onDemand.capacity());
    assertEquals("use1-az1", onDemand.zoneId());
    assertEquals(
        Optional.of(new BigDecimal("0.4032")),
        onDemand.pricePerHour(),
        "on-demand: the configured price");
    assertEquals(
        new HostCapacity(8, 16384, 200 + 441),
        withStore.capacity(),
        "474 GB of instance storage is 441 GiB");
    assertEquals(
        Optional.empty(), withStore.pricePerHour(), "no price configured for c8id.2xlarge");
    Ec2QueryFake.Request run = fx.fake.requests("RunInstances").get(0);
    assertEquals("/dev/xvda", run.get("BlockDeviceMapping.1.DeviceName"));
    assertEquals("200", run.get("BlockDeviceMapping.1.Ebs.VolumeSize"));
    assertEquals(
        List.of(spot, onDemand, withStore),
        fx.provider.list().stream().map(h -> h.withState(HostState.PENDING)).toList());
    assertEquals(
        3,
        fx.fake.requests("DescribeInstanceTypes").size(),
        "each type looked up once, then cached (not again by list)");
    assertEquals(
        1, fx.fake.requests("DescribeAvailabilityZones").size(), "zone ids looked up once");
  }

  @Test
  void onDemandLaunchHasNoMarketOptions() throws Exception {
    fx = fixtures.open();
    Host host = fx.provider.launch(new HostRequest(POOL_B, Market.ON_DEMAND));
    assertNull(fx.fake.requests("RunInstances").get(0).get("InstanceMarketOptions.MarketType"));
    assertNull(
        fx.fake.requests("RunInstances").get(0).get("SubnetId"),
        "no subnet configured for us-east-1b");
    assertEquals(Market.ON_DEMAND, host.market());
  }

  @Test
  void throttlingRetriesSamePoolWithBackoffAndOneClientToken() throws Exception {
    fx = fixtures.open("retry.attemptsPerPool = 3");
    fx.fake.fail("RunInstances", "RequestLimitExceeded", 2);
    Host host = fx.provider.launch(new HostRequest(POOL_A, Market.SPOT));

    List<Ec2QueryFake.Request> runs = fx.fake.requests("RunInstances");
    assertEquals(3, runs.size());
    assertTrue(runs.stream().allMatch(r -> r.get("InstanceType").equals("c8i.2xlarge")));
    assertEquals(
        1, runs.stream().map(r -> r.get("ClientToken")).distinct().count(), "idempotent retries");
    assertEquals(POOL_A, host.pool());
    assertEquals(2, fx.sleeps.size());
    assertBetween(fx.sleeps.get(0), 50, 100);
    assertBetween(fx.sleeps.get(1), 100, 200);
  }

  @Test
  void capacityErrorsFallBackToNextPoolAndBlockThePoolForItsTtl() throws Exception {
    fx = fixtures.open("retry.attemptsPerPool = 2", "unavailableTtl = 3m");
    fx.fake.fail(
        "RunInstances",
        "InsufficientInstanceCapacity",
        10,
        r -> r.get("InstanceType").equals("c8i.2xlarge"));

    Host first = fx.provider.launch(new HostRequest(POOL_A, Market.SPOT));
    assertEquals(POOL_B, first.pool());
    assertEquals(Market.SPOT, first.market());
    assertEquals(
        List.of("c8i.2xlarge", "m8i.2xlarge"),
        types(),
        "no retry in place: on to the next pool at once");
    assertTrue(fx.sleeps.isEmpty());

    fx.provider.launch(new HostRequest(POOL_A, Market.SPOT));
    assertEquals(
        List.of("c8i.2xlarge", "m8i.2xlarge", "m8i.2xlarge"),
        types(),
        "pool A skipped while blocked");

    fx.clock.advance(Duration.ofMinutes(3));
    fx.provider.launch(new HostRequest(POOL_A, Market.SPOT));
    assertEquals("c8i.2xlarge", types().get(3), "pool A tried again after the TTL");
  }

  @Test
  void spotQuotaSkipsEverySpotPoolAndFallsBackToOnDemand() throws Exception {
    fx = fixtures.open("fallback.onDemand = true");
    fx.fake.fail(
        "RunInstances",
        "MaxSpotInstanceCountExceeded",
        5,
        r -> "spot".equals(r.get("InstanceMarketOptions.MarketType")));

    Host host = fx.provider.launch(new HostRequest(POOL_A, Market.SPOT));
    assertEquals(Market.ON_DEMAND, host.market());
    assertEquals(POOL_A, host.pool());
    assertEquals(
        2,
        fx.fake.requests("RunInstances").size(),
        "one spot try, then on-demand in the requested pool");
  }

  @Test
  void withoutOnDemandFallbackAllPoolsFailingIsAnErrorNamingEachTry() throws Exception {
    fx = fixtures.open("retry.attemptsPerPool = 1");
    fx.fake.fail("RunInstances", "InsufficientInstanceCapacity", 10);
    HostLaunchException e =
        assertThrows(
            HostLaunchException.class,
            () -> fx.provider.launch(new HostRequest(POOL_A, Market.SPOT)));
    assertTrue(
        e.getMessage()
            .contains("c8i.2xlarge@us-east-1a/SPOT attempt 1: InsufficientInstanceCapacity"),
        e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("m8i.2xlarge@us-east-1b/SPOT attempt 1: InsufficientInstanceCapacity"),
        e.getMessage());
  }

  @Test
  void fatalErrorStopsAtOnce() throws Exception {
    fx = fixtures.open();
    fx.fake.fail("RunInstances", "InvalidAMIID.NotFound", 1);
    HostLaunchException e =
        assertThrows(
            HostLaunchException.class,
            () -> fx.provider.launch(new HostRequest(POOL_A, Market.SPOT)));
    assertTrue(e.getMessage().contains("InvalidAMIID.NotFound"), e.getMessage());
    assertEquals(1, fx.fake.requests("RunInstances").size());
    assertTrue(fx.sleeps.isEmpty());
  }

  @Test
  void capsOnHostsAndSpotHostsAreEnforced() throws Exception {
    fx = fixtures.open("cap.hosts = 2", "cap.spotHosts = 1", "fallback.onDemand = false");
    fx.provider.launch(new HostRequest(POOL_A, Market.SPOT));
    HostLaunchException spot =
        assertThrows(
            HostLaunchException.class,
            () -> fx.provider.launch(new HostRequest(POOL_A, Market.SPOT)));
    assertTrue(spot.getMessage().startsWith("cap.spotHosts reached"), spot.getMessage());
    fx.provider.launch(new HostRequest(POOL_A, Market.ON_DEMAND));
    HostLaunchException all =
        assertThrows(
            HostLaunchException.class,
            () -> fx.provider.launch(new HostRequest(POOL_A, Market.ON_DEMAND)));
    assertTrue(all.getMessage().startsWith("cap.hosts reached: 2 of 2"), all.getMessage());
    assertEquals(2, fx.fake.requests("RunInstances").size());
  }

  @Test
  void untaggedAndForeignInstancesAreNeverListedOrTerminated() throws Exception {
    fx = fixtures.open();
    var untagged = fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, Map.of(), "running");
    var otherCluster =
        fx.fake.addInstance(
            "c8i.2xlarge",
            "us-east-1a",
            true,
            Map.of(Ec2Tags.CLUSTER, "prod", Ec2Tags.MANAGED, "true"),
            "running");
    var unmanaged =
        fx.fake.addInstance(
            "c8i.2xlarge", "us-east-1a", false, Map.of(Ec2Tags.CLUSTER, "ci"), "running");
    var ours = fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, OURS, "running");

    List<Host> listed = fx.provider.list();
    assertEquals(List.of(ours.id), listed.stream().map(Host::id).toList());
    Ec2QueryFake.Request describe = fx.fake.requests("DescribeInstances").get(0);
    assertTrue(
        describe.params().containsValue("tag:spotnest:cluster")
            && describe.params().containsValue("tag:spotnest:managed"));

    for (var foreign : List.of(untagged, otherCluster, unmanaged)) {
      NotOwnedException e =
          assertThrows(NotOwnedException.class, () -> fx.provider.terminate(foreign.id));
      assertTrue(e.getMessage().contains(foreign.id), e.getMessage());
      assertEquals("running", fx.fake.instance(foreign.id).state);
    }
    assertThrows(NotOwnedException.class, () -> fx.provider.terminate("i-00000000000000bad"));
    assertThrows(NotOwnedException.class, () -> fx.provider.terminate("not-an-id"));
    assertTrue(
        fx.fake.requests("TerminateInstances").isEmpty(),
        "no TerminateInstances call for a foreign id");

    fx.provider.terminate(ours.id);
    assertEquals(
        List.of(ours.id),
        fx.fake.requests("TerminateInstances").stream().map(r -> r.get("InstanceId.1")).toList());
    assertEquals("terminated", fx.fake.instance(ours.id).state);
    assertTrue(fx.provider.list().isEmpty(), "terminated hosts are not listed");
  }

  @Test
  void listRetriesThrottledDescribe() throws Exception {
    fx = fixtures.open("retry.attemptsPerPool = 3");
    fx.fake.addInstance("c8i.2xlarge", "us-east-1a", false, OURS, "running");
    fx.fake.fail("DescribeInstances", "RequestLimitExceeded", 2);
    assertEquals(1, fx.provider.list().size());
    assertEquals(3, fx.fake.requests("DescribeInstances").size());
    assertEquals(2, fx.sleeps.size());
  }

  @Test
  void spotPricesKeepTheLatestPerPool() throws Exception {
    fx = fixtures.open();
    fx.fake.addPrice("c8i.2xlarge", "us-east-1a", "0.1100", Instant.parse("2026-11-23T11:10:00Z"));
    fx.fake.addPrice("c8i.2xlarge", "us-east-1a", "0.1234", Instant.parse("2026-11-23T11:40:00Z"));
    fx.fake.addPrice("c8i.2xlarge", "us-east-1c", "0.0900", Instant.parse("2026-11-23T11:40:00Z"));
    fx.fake.addPrice("m8i.2xlarge", "us-east-1b", "0.2000", Instant.parse("2026-11-23T11:30:00Z"));

    Map<Pool, BigDecimal> prices = fx.provider.spotPrices(List.of(POOL_A, POOL_B));
    assertEquals(
        Map.of(POOL_A, new BigDecimal("0.1234"), POOL_B, new BigDecimal("0.2000")), prices);
    Ec2QueryFake.Request req = fx.fake.requests("DescribeSpotPriceHistory").get(0);
    assertEquals("Linux/UNIX", req.get("ProductDescription.1"));
    assertFalse(req.params().containsValue("m5.large"));
  }

  private List<String> types() {
    return fx.fake.requests("RunInstances").stream().map(r -> r.get("InstanceType")).toList();
  }

  private static void assertBetween(Duration d, long minMs, long maxMs) {
    assertTrue(
        d.toMillis() >= minMs && d.toMillis() <= maxMs,
        d + " not within " + minMs + ".." + maxMs + " ms");
  }
}
