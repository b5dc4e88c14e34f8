package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.util.FormValidation;
import io.spotnest.jenkins.orchestrator.CloudFleetWiring;
import io.spotnest.jenkins.orchestrator.FleetConfigException;
import io.spotnest.jenkins.orchestrator.FleetSeams;
import io.spotnest.jenkins.orchestrator.OrchestratorBackend;
import io.spotnest.jenkins.orchestrator.OrchestratorController;
import io.spotnest.jenkins.port.AgentSecret;
import io.spotnest.migration.AgentVmSpec;
import io.spotnest.migration.HypervisorEndpoint;
import io.spotnest.migration.StandbyMemory;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.adapter.hosts.ProviderHostFleet;
import io.spotnest.orchestrator.adapter.migration.EngineAgentMover;
import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.BootSecret;
import io.spotnest.orchestrator.port.CopyOrder;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.ObservedHost;
import io.spotnest.orchestrator.port.PoolReclamation;
import io.spotnest.orchestrator.testing.StubHypervisors;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.orchestrator.tick.Ids;
import io.spotnest.strategy.fleet.CopyMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production wiring built from a configured cloud, with fakes only at its external seams (the
 * static hosts' SSH sessions, the hypervisors, libvirt's native library): the real host, VM and
 * migration adapters, the real cluster CA.
 */
class CloudFleetWiringTest {
  private static final String HOSTS =
      "# two machines in one rack\n"
          + "rack1-a sn@127.0.0.11 pool=static-32c@rack1 key=id_ed25519 known_hosts=known_hosts\n"
          + "rack1-b sn@127.0.0.12:2222 pool=static-32c@rack1 key=id_ed25519 known_hosts=known_hosts\n";

  @TempDir Path home;
  private final StubHypervisors hypervisors = new StubHypervisors("rack1-a", "rack1-b");
  private final List<HypervisorEndpoint> connected = new CopyOnWriteArrayList<>();
  private final List<FakeStaticHosts> opened = new ArrayList<>();
  private final List<String> logs = new CopyOnWriteArrayList<>();
  private Optional<String> libvirtMissing = Optional.empty();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          logs.add(r.getMessage() + " " + r.getThrown());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void listen() throws Exception {
    Logger.getLogger("").addHandler(capture);
    Path ssh = Files.createDirectories(home.resolve("spotnest/ssh"));
    Files.writeString(ssh.resolve("known_hosts"), "");
    Files.writeString(ssh.resolve("id_ed25519"), "");
    Files.setPosixFilePermissions(
        ssh.resolve("id_ed25519"), PosixFilePermissions.fromString("rw-------"));
  }

  @AfterEach
  void stop() {
    Logger.getLogger("").removeHandler(capture);
  }

  private SpotNestCloud cloud() {
    SpotNestCloud cloud = new SpotNestCloud("ci");
    cloud.setStaticHosts(HOSTS);
    cloud.setHostMemoryMb(16384);
    cloud.setMaxAgents(5);
    cloud.setImagesDir("/srv/spotnest/images");
    cloud.setBridge("br-agents");
    cloud.setOverlayMtu(8951);
    return cloud;
  }

  private CloudFleetWiring wiring(FleetSettings settings) {
    return new CloudFleetWiring(
        () -> List.of(settings),
        () -> home,
        new FleetSeams(
            library -> libvirtMissing,
            (hosts, socketDir, clock, overlay) -> {
              FakeStaticHosts p = new FakeStaticHosts(hosts, socketDir);
              opened.add(p);
              return p;
            },
            ep -> {
              connected.add(ep);
              return hypervisors.connect(ep);
            },
            Clock.systemUTC()));
  }

  @Test
  void theStaticHostsBecomeOnDemandOffersWithTheCloudsCaps() {
    FleetConfig config = wiring(cloud().fleetSettings()).config();

    assertEquals(
        List.of(new HostOrder(new PoolKey("static-32c", "rack1"), Market.ON_DEMAND, 16384)),
        config.offers());
    assertEquals(2, config.limits().maxHosts());
    assertEquals(5, config.limits().maxAgents());
    assertEquals(
        CopyMode.AT_RISK,
        config.copyMode(),
        "copies at raised hazard for the agents of templates that chose ALWAYS or FLEET (the"
            + " default), never NEVER");
    FakeStaticHosts hosts = opened.get(0);
    assertEquals(
        List.of("rack1-a", "rack1-b"), hosts.configured.stream().map(h -> h.name()).toList());
    assertEquals(home.resolve("spotnest/ssh/id_ed25519"), hosts.configured.get(0).privateKey());
    assertEquals(home.resolve("spotnest/ssh/known_hosts"), hosts.configured.get(1).knownHosts());
    assertEquals(2222, hosts.configured.get(1).port());
    assertEquals(home.resolve("spotnest/sockets"), hosts.socketDir);
  }

  @Test
  void theCloudsStandingCopiesSettingIsTheFleetsCopyMode() {
    for (CopyMode mode : CopyMode.values()) {
      SpotNestCloud cloud = cloud();
      cloud.setStandingCopies(mode);
      assertEquals(mode, wiring(cloud.fleetSettings()).config().copyMode(), mode.name());
    }
  }

  @Test
  void theCloudsStandbyMemoryStartsTheVmsAndAsksTheStandingCopiesAlike() throws Exception {
    for (StandbyMemory memory : StandbyMemory.values()) {
      SpotNestCloud cloud = cloud();
      cloud.setStandbyMemory(memory);
      cloud.setStandbyStoreGb(64);
      CloudFleetWiring wiring = wiring(cloud.fleetSettings());
      assertEquals(
          memory == StandbyMemory.FILE ? 64 * 1024 : 0,
          wiring.config().standbyStoreMiB(),
          memory + ": the standby store counts only for file-backed standbys");
      Orchestrator.Ports ports = wiring.ports();
      ports.fleet().launch("launch-" + memory, wiring.config().offers().get(0));
      ObservedHost host = awaitHost(ports);
      String agent = "ci-" + memory.name().toLowerCase(Locale.ROOT);

      ports
          .vms()
          .boot(
              agent,
              host.id(),
              new AgentBootSpec(agent, null, 1, 1024, 0, "http://127.0.0.1:8080/", "", agent),
              new BootSecret("abc123"));

      assertEquals(
          memory == StandbyMemory.FILE,
          hypervisors.started.get(agent).fileMemory(),
          memory + ": a file-backed standby needs its VM's RAM in a file on the source");
      assertEquals(
          memory == StandbyMemory.FILE
              ? io.spotnest.orchestrator.model.MemoryBacking.FILE
              : io.spotnest.orchestrator.model.MemoryBacking.RAM,
          ports.vms().memory(),
          memory + ": the orchestrator journals what the VMs are booted with");
      EngineAgentMover mover = assertInstanceOf(EngineAgentMover.class, ports.mover());
      CopyOrder toFile = new CopyOrder("copy-1", agent, "rack1-a", "rack1-b", true);
      if (memory == StandbyMemory.FILE) {
        assertEquals(memory, mover.copyRequest(toFile).standbyMemory());
      } else {
        assertThrows(IllegalStateException.class, () -> mover.copyRequest(toFile));
      }
      assertEquals(
          StandbyMemory.RAM,
          mover
              .copyRequest(new CopyOrder("copy-2", agent, "rack1-a", "rack1-b", false))
              .standbyMemory());
    }
  }

  @Test
  void underALongJenkinsHomeTheLocalLibvirtSocketsGoToAShortPrivateDirectory() throws Exception {
    // a unix socket's path holds at most 107 bytes; the SSH forward adds about 47 to the directory
    Path longHome =
        Files.createDirectories(
            home.resolve("a-jenkins-home-whose-path-is-rather-long-1234567890"));
    home = longHome;
    listen();
    wiring(cloud().fleetSettings()).ports();

    Path dir = opened.get(0).socketDir;
    assertTrue(dir.toString().length() <= 60, dir + " leaves no room for the sockets");
    assertFalse(dir.startsWith(longHome), dir.toString());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertTrue(logs.stream().anyMatch(l -> l.contains(dir.toString())), String.valueOf(logs));
  }

  @Test
  void aSocketDirectoryJustUnderTheOldLimitIsMovedTooTheForwardsRandomNameCanBeTwentyDigits()
      throws Exception {
    // $JENKINS_HOME/spotnest/sockets of 58 characters: with the forward's 47 (a random name of up
    // to 20 digits) that is 105 of the 107 a socket path may hold; a demo run failed on it
    String base = home.toAbsolutePath() + "/";
    int pad = 58 - base.length() - "/spotnest/sockets".length();
    Path nearLimit = Files.createDirectories(Path.of(base + "h".repeat(Math.max(1, pad))));
    home = nearLimit;
    listen();
    wiring(cloud().fleetSettings()).ports();

    Path dir = opened.get(0).socketDir;
    assertTrue(dir.toString().length() <= 50, dir + " leaves too little room for the sockets");
  }

  @Test
  void anAttachedHostIsReachedAtItsOwnEndpointsAndTheTemplatesSizeAndImageReachTheVm()
      throws Exception {
    CloudFleetWiring wiring = wiring(cloud().fleetSettings());
    Orchestrator.Ports ports = wiring.ports();
    assertInstanceOf(ProviderHostFleet.class, ports.fleet());

    ports.fleet().launch("launch-1", wiring.config().offers().get(0));
    ObservedHost host = awaitHost(ports);
    assertEquals("rack1-a", host.id());
    assertEquals("launch-1", host.launchKey());
    assertEquals(16384, host.capacityMiB());

    SpotNestTemplate template = new SpotNestTemplate("linux");
    template.setVcpus(4);
    template.setMemoryMb(6144);
    template.setDiskGb(50);
    template.setImage("spotnest-agent");
    SpotNestAgent agent =
        new SpotNestAgent("ci-00c0ffee", "ci", template, "http://127.0.0.1:8080/");
    ports
        .vms()
        .boot(
            "ci-00c0ffee",
            host.id(),
            OrchestratorController.bootSpec(agent.launchRequest(new AgentSecret("abc123"))),
            new BootSecret("abc123"));

    HypervisorEndpoint ep = connected.get(0);
    assertEquals("rack1-a", ep.name());
    assertEquals(
        "qemu+unix:///system?socket=" + home.resolve("spotnest/sockets") + "/rack1-a.sock",
        ep.clientUri());
    assertEquals("qemu+ssh://sn@127.0.0.11:22/system", ep.peerUri());
    assertEquals(16384, ep.capacityMib());
    AgentVmSpec vm = hypervisors.started.get("ci-00c0ffee");
    assertEquals(4, vm.vcpus());
    assertEquals(6144, vm.memoryMib());
    assertEquals(50L * 1024, vm.workspaceMib());
    assertEquals("/srv/spotnest/images/spotnest-agent/vmlinuz", vm.kernel());
    assertEquals("/srv/spotnest/images/spotnest-agent/agent-root.qcow2", vm.baseImage());
    assertEquals("br-agents", vm.bridge());
    assertEquals(8951, vm.mtu(), "the cloud's overlay MTU on the VM's NIC");
    assertFalse(vm.toString().contains("abc123"));
  }

  @Test
  void theMoverSeesEveryAttachedStaticHostAndEstimatesWithTheCloudsLinkRate() throws Exception {
    CloudFleetWiring wiring = wiring(cloud().fleetSettings());
    Orchestrator.Ports ports = wiring.ports();
    ports.fleet().launch("launch-1", wiring.config().offers().get(0));
    awaitHosts(ports, 1);
    ports.fleet().launch("launch-2", wiring.config().offers().get(0));
    awaitHosts(ports, 2);
    ports.vms().boot("ci-1", "rack1-b", AgentBootSpec.minimal("ci-1", 1024), null);
    connected.clear();

    assertEquals(Optional.of("rack1-b"), ports.mover().locate("ci-1"));
    assertEquals(
        Set.of("rack1-a", "rack1-b"),
        connected.stream().map(HypervisorEndpoint::name).collect(Collectors.toSet()));

    SpotNestCloud fastLink = cloud();
    fastLink.setLinkMbps(10_000);
    Duration fast =
        wiring(fastLink.fleetSettings()).ports().mover().estimate("rack1-a", "rack1-b", 4096, 1);
    Duration tenTimesSlower = ports.mover().estimate("rack1-a", "rack1-b", 4096, 1);
    assertTrue(tenTimesSlower.compareTo(fast.multipliedBy(5)) > 0, fast + " vs " + tenTimesSlower);
  }

  private static ObservedHost awaitHost(Orchestrator.Ports ports) throws InterruptedException {
    return awaitHosts(ports, 1).get(0);
  }

  private static List<ObservedHost> awaitHosts(Orchestrator.Ports ports, int count)
      throws InterruptedException {
    return ListedHosts.await(ports, count, Duration.ofSeconds(5));
  }

  private static final String TWO_RACKS =
      "rack1-a sn@127.0.0.11 pool=static-32c@rack1 key=id_ed25519 known_hosts=known_hosts\n"
          + "rack2-a sn@127.0.0.12 pool=static-32c@rack2 key=id_ed25519 known_hosts=known_hosts\n";

  private static final String FEED =
      """
      {"pools": [{"pool": "static-32c@rack1", "spotUsdPerHour": 0.03, "onDemandUsdPerHour": 0.10,
                  "interruptionBucket": 1,
                  "reclamations": [{"id": "r-1", "at": "2026-01-01T10:00:00Z"}]}],
       "notices": [{"id": "n-1", "host": "rack1-a", "deadline": "2026-01-01T10:02:00Z"}]}
      """;

  @Test
  void theMarketFeedsPoolsAreSpotHostsWithItsQuotesReclamationsAndNotices() throws Exception {
    Path feed = home.resolve("spotnest/market-feed.json");
    Files.writeString(feed, FEED);
    SpotNestCloud cloud = cloud();
    cloud.setStaticHosts(TWO_RACKS);
    cloud.setMarketFeed("market-feed.json");
    CloudFleetWiring wiring = wiring(cloud.fleetSettings());

    PoolKey rack1 = new PoolKey("static-32c", "rack1");
    PoolKey rack2 = new PoolKey("static-32c", "rack2");
    assertEquals(
        List.of(
            new HostOrder(rack1, Market.SPOT, 16384),
            new HostOrder(rack2, Market.ON_DEMAND, 16384)),
        wiring.config().offers());
    Orchestrator.Ports ports = wiring.ports();
    MarketQuote quote = ports.market().quotes().get(0);
    assertEquals(rack1, quote.pool());
    assertEquals(0.3, quote.spotToOnDemand(), 1e-9);
    assertEquals(1, quote.interruptionBucket().getAsInt());
    assertEquals(
        List.of(new PoolReclamation(rack1, "r-1", Instant.parse("2026-01-01T10:00:00Z"))),
        ports.market().reclamations());

    // a spot order attaches the pool's static host, which then shows as a spot host
    ports.fleet().launch("launch-1", wiring.config().offers().get(0));
    ObservedHost host = awaitHost(ports);
    assertEquals("rack1-a", host.id());
    assertEquals(Market.SPOT, host.market());
    List<FleetEvent> events = ports.fleet().poll();
    assertEquals(1, events.size(), events.toString());
    FleetEvent.Notice notice = assertInstanceOf(FleetEvent.Notice.class, events.get(0));
    assertEquals("rack1-a", notice.hostId());
    assertEquals("market-feed", notice.source());
    assertEquals(Instant.parse("2026-01-01T10:02:00Z"), notice.deadline());
    ports.fleet().acknowledge(notice);
    assertEquals(List.of(), ports.fleet().poll(), "an acknowledged notice is not told again");

    // the file is read again when it changes: the price rose to on-demand
    Files.writeString(feed, FEED.replace("0.03", "0.10"));
    Files.setLastModifiedTime(feed, FileTime.from(Instant.now().plusSeconds(5)));
    assertEquals(1.0, ports.market().quotes().get(0).spotToOnDemand(), 1e-9);
    // a broken file keeps the last good data, and says why once
    Files.writeString(feed, "{\"pools\": [");
    Files.setLastModifiedTime(feed, FileTime.from(Instant.now().plusSeconds(10)));
    assertEquals(1.0, ports.market().quotes().get(0).spotToOnDemand(), 1e-9);
    ports.market().quotes();
    assertEquals(
        1,
        logs.stream().filter(l -> l.contains("marketFeed: " + feed + ": not JSON")).count(),
        String.valueOf(logs));
  }

  @Test
  void aStaticHostSoldAsSpotKeepsItsUnderlayAddressAsDoesAnOnDemandOne() throws Exception {
    Files.writeString(home.resolve("spotnest/market-feed.json"), FEED);
    SpotNestCloud cloud = cloud();
    cloud.setStaticHosts(
        TWO_RACKS.replace("known_hosts\nrack2", "known_hosts vtep=10.9.0.1\nrack2"));
    cloud.setMarketFeed("market-feed.json");
    CloudFleetWiring wiring = wiring(cloud.fleetSettings());
    Orchestrator.Ports ports = wiring.ports();

    ports.fleet().launch("launch-1", wiring.config().offers().get(0));
    ports.fleet().launch("launch-2", wiring.config().offers().get(1));
    List<ObservedHost> hosts = awaitHosts(ports, 2);
    ObservedHost spot = hosts.stream().filter(h -> h.id().equals("rack1-a")).findFirst().get();
    ObservedHost onDemand = hosts.stream().filter(h -> h.id().equals("rack2-a")).findFirst().get();
    assertEquals(Market.SPOT, spot.market());
    assertEquals(Optional.of("10.9.0.1"), spot.underlayAddress(), "its vtep=");
    assertEquals(Market.ON_DEMAND, onDemand.market());
    assertEquals(Optional.of("127.0.0.12"), onDemand.underlayAddress(), "its SSH address");
  }

  @Test
  void aMarketFeedTheFleetCannotUseIsOneLineNamingTheField() throws Exception {
    Path feed = home.resolve("spotnest/market-feed.json");
    SpotNestCloud cloud = cloud();
    cloud.setStaticHosts(TWO_RACKS);
    cloud.setMarketFeed("market-feed.json");

    assertEquals(
        "marketFeed: " + feed + " does not exist (yet)",
        assertThrows(FleetConfigException.class, () -> wiring(cloud.fleetSettings()).ports())
            .getMessage());
    Files.writeString(feed, FEED.replace("rack1\"", "rack9\""));
    assertEquals(
        "marketFeed: pool static-32c@rack9 is not the pool= of any static host",
        assertThrows(FleetConfigException.class, () -> wiring(cloud.fleetSettings()).ports())
            .getMessage());
    Files.writeString(
        feed,
        """
        {"pools": [{"pool": "static-32c@rack1"}, {"pool": "static-32c@rack2"}]}
        """);
    assertTrue(
        assertThrows(FleetConfigException.class, () -> wiring(cloud.fleetSettings()).ports())
            .getMessage()
            .startsWith("marketFeed: it lists every static pool as spot"));
    assertTrue(opened.isEmpty(), "no SSH session is opened with an unusable feed");

    assertOneLine("marketFeed: ", () -> cloud.setMarketFeed("../feed.json"));
    assertOneLine("marketFeed: ", () -> cloud.setMarketFeed("feed.txt"));
    SpotNestCloud.DescriptorImpl form = new SpotNestCloud.DescriptorImpl();
    assertEquals(FormValidation.Kind.ERROR, form.doCheckMarketFeed("/etc/feed").kind);
    assertEquals(FormValidation.Kind.OK, form.doCheckMarketFeed("/srv/feeds/rack1.json").kind);
    assertTrue(form.doCheckMarketFeed("").getMessage().contains("on-demand"));
  }

  @Test
  void theClusterCaAndEachHostsTlsFilesLiveUnderJenkinsHomeReadableByJenkinsOnly()
      throws Exception {
    wiring(cloud().fleetSettings()).ports();

    Path pki = home.resolve("spotnest/pki");
    for (Path dir : List.of(pki, pki.resolve("ca"), pki.resolve("hosts/rack1-a"))) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }
    for (Path f :
        List.of(
            pki.resolve("ca/ca-key.pem"),
            pki.resolve("ca/ca-cert.pem"),
            pki.resolve("hosts/rack1-a/serverkey.pem"),
            pki.resolve("hosts/rack1-b/clientkey.pem"),
            pki.resolve("hosts/rack1-b/cacert.pem"))) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
          f.toString());
    }
    assertTrue(
        Files.readString(pki.resolve("hosts/rack1-a/serverkey.pem")).contains("PRIVATE KEY"));
    assertTrue(logs.stream().anyMatch(l -> l.contains("rack1-a")), String.valueOf(logs));
    assertTrue(logs.stream().noneMatch(l -> l.contains("PRIVATE KEY")), String.valueOf(logs));
  }

  @Test
  void aBadFieldIsOneLineNamingIt() {
    SpotNestCloud cloud = new SpotNestCloud("ci");
    String noKey = "rack1-a sn@127.0.0.11 pool=static-32c@rack1 known_hosts=known_hosts";

    IllegalArgumentException set =
        assertThrows(IllegalArgumentException.class, () -> cloud.setStaticHosts(noKey));
    assertEquals("staticHosts:1: key: required but missing", set.getMessage());
    FormValidation check = new SpotNestCloud.DescriptorImpl().doCheckStaticHosts(noKey);
    assertEquals(FormValidation.Kind.ERROR, check.kind);
    assertEquals("staticHosts:1: key: required but missing", check.getMessage());

    FleetSettings bypassed =
        new FleetSettings("ci", noKey, 8192, "/var/lib/spotnest/images", "br0", 1000, 10);
    FleetConfigException e =
        assertThrows(FleetConfigException.class, () -> wiring(bypassed).ports());
    assertEquals("staticHosts:1: key: required but missing", e.getMessage());
    assertEquals(0, e.getStackTrace().length);

    assertOneLine("imagesDir: ", () -> cloud.setImagesDir("images"));
    assertOneLine("bridge: ", () -> cloud.setBridge("br 0"));
    assertOneLine("hostMemoryMb: ", () -> cloud.setHostMemoryMb(100));
    assertOneLine("linkMbps: ", () -> cloud.setLinkMbps(100));
    assertOneLine("overlayMtu: ", () -> cloud.setOverlayMtu(9217));
    assertEquals(SpotNestCloud.DEFAULT_OVERLAY_MTU, cloud.getOverlayMtu());
    FleetSettings badMtu =
        new FleetSettings("ci", HOSTS, 8192, "/var/lib/spotnest/images", "br0", 1000, 10)
            .withOverlayMtu(100);
    assertEquals(
        "overlayMtu: expected 576..9216 (the hosts' underlay MTU minus 50), got 100",
        assertThrows(FleetConfigException.class, () -> wiring(badMtu).ports()).getMessage());
    FleetSettings slowLink =
        new FleetSettings("ci", HOSTS, 8192, "/var/lib/spotnest/images", "br0", 100, 10);
    FleetConfigException slow =
        assertThrows(FleetConfigException.class, () -> wiring(slowLink).ports());
    assertTrue(slow.getMessage().startsWith("linkMbps: 100 is too slow: "), slow.getMessage());
    FleetSettings badBridge =
        new FleetSettings("ci", HOSTS, 8192, "/var/lib/spotnest/images", "br 0", 1000, 10);
    assertEquals(
        "bridge: expected an interface name, got br 0",
        assertThrows(FleetConfigException.class, () -> wiring(badBridge).ports()).getMessage());
    assertTrue(opened.isEmpty(), "no SSH session is opened with a bad field");
    SpotNestCloud.DescriptorImpl form = new SpotNestCloud.DescriptorImpl();
    assertEquals(
        "linkMbps: 'fast' is not a whole number", form.doCheckLinkMbps("fast").getMessage());
    assertEquals(FormValidation.Kind.OK, form.doCheckImagesDir("/var/lib/spotnest/images").kind);
    assertEquals(FormValidation.Kind.WARNING, form.doCheckStaticHosts("").kind);
  }

  private static void assertOneLine(String field, Runnable set) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, set::run);
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void aMissingOrUnprotectedSshKeyIsRefusedBeforeAnyConnectionNamingTheHost() throws Exception {
    Path key = home.resolve("spotnest/ssh/id_ed25519");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    FleetConfigException open =
        assertThrows(FleetConfigException.class, () -> wiring(cloud().fleetSettings()).ports());
    assertEquals(
        "staticHosts: host 'rack1-a': private key "
            + key
            + " must be readable by Jenkins only (chmod 600)",
        open.getMessage());

    Files.delete(key);
    FleetConfigException missing =
        assertThrows(FleetConfigException.class, () -> wiring(cloud().fleetSettings()).ports());
    assertEquals(
        "staticHosts: host 'rack1-a': private key " + key + " is missing or unreadable",
        missing.getMessage());
    assertTrue(opened.isEmpty(), "no SSH session is opened with a bad key");
  }

  @Test
  void withoutLibvirtsLibraryTheFleetSaysTheMonitorsMessageNotAStackTrace() {
    libvirtMissing =
        Optional.of("Unable to load library 'virt': libvirt.so: cannot open shared object file");
    OrchestratorBackend backend =
        new OrchestratorBackend(
            () -> home, () -> wiring(cloud().fleetSettings()), Clock.systemUTC(), Ids.random());

    IllegalStateException e = assertThrows(IllegalStateException.class, backend::controller);

    String monitor = new LibvirtClientMonitor(library -> libvirtMissing).getMessage();
    assertEquals(monitor, e.getMessage());
    assertTrue(e.getMessage().startsWith("SpotNest cannot start agents: libvirt's client library"));
    assertEquals(0, e.getStackTrace().length);
    assertNull(e.getCause());
    assertTrue(opened.isEmpty(), "no host is attached without libvirt");
    assertTrue(connected.isEmpty());
  }

  @Test
  void withoutASpotNestCloudTheFleetSaysSo() {
    CloudFleetWiring none = new CloudFleetWiring(List::of, () -> home, FleetSeams.real());

    FleetConfigException e = assertThrows(FleetConfigException.class, none::config);

    assertEquals(
        "SpotNest: no SpotNest cloud is configured (Manage Jenkins > Clouds)", e.getMessage());
  }
}
