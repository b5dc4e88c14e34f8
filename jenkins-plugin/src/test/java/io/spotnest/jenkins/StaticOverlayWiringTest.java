package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.util.FormValidation;
import io.spotnest.hosts.Pool;
import io.spotnest.hosts.ssh.LocalSshServer;
import io.spotnest.hosts.ssh.LocalSshServer.Exec;
import io.spotnest.hosts.ssh.OpenResources;
import io.spotnest.hosts.ssh.SshHostConfig;
import io.spotnest.jenkins.orchestrator.CloudFleetWiring;
import io.spotnest.jenkins.orchestrator.FleetConfigException;
import io.spotnest.jenkins.orchestrator.FleetSeams;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.testing.StubHypervisors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A static SpotNest cloud with overlay gateways keeps its hosts' VXLAN flood lists current: the
 * production static-hosts seam ({@link FleetSeams#real()}'s SSH provider) is given the cluster's
 * overlay. The two "machines" are in-process SSH servers on 127.0.0.1 that record each command.
 */
class StaticOverlayWiringTest {
  private static final Pool POOL = new Pool("static-4c", "rack1");
  private static final String SCRIPT = "/usr/local/sbin/spotnest-overlay-peers";
  private static final String GATEWAY = "10.9.0.254";

  @TempDir Path dir;
  private final OpenResources open = new OpenResources();
  private LocalSshServer a;
  private LocalSshServer b;

  @BeforeEach
  void machines() throws Exception {
    a = open.remember(LocalSshServer.start(dir.resolve("a")));
    b = open.remember(LocalSshServer.start(dir.resolve("b")));
  }

  @AfterEach
  void closeAll() throws Exception {
    open.close();
  }

  /** One line of the cloud's staticHosts for a machine: root, its key and known_hosts absolute. */
  private static String line(LocalSshServer machine, String name, String vtep) throws Exception {
    SshHostConfig h = machine.host(name, POOL, "root", vtep);
    Files.setPosixFilePermissions(h.privateKey(), PosixFilePermissions.fromString("rw-------"));
    return name
        + " root@127.0.0.1:"
        + h.port()
        + " pool="
        + POOL.instanceType()
        + "@"
        + POOL.zone()
        + " key="
        + h.privateKey()
        + " known_hosts="
        + h.knownHosts()
        + " vtep="
        + vtep;
  }

  private SpotNestCloud cloud(String overlayGateways) throws Exception {
    SpotNestCloud cloud = new SpotNestCloud("ci");
    cloud.setStaticHosts(line(a, "rack1-a", "10.9.0.1") + "\n" + line(b, "rack1-b", "10.9.0.2"));
    cloud.setOverlayGateways(overlayGateways);
    return cloud;
  }

  /** The production static-hosts seam; libvirt's library and the hypervisors are stand-ins. */
  private CloudFleetWiring wiring(SpotNestCloud cloud) throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    FleetSeams real = FleetSeams.real();
    return open.remember(
        new CloudFleetWiring(
            () -> List.of(cloud.fleetSettings()),
            () -> home,
            new FleetSeams(
                library -> Optional.empty(),
                real.staticHosts(),
                new StubHypervisors("rack1-a", "rack1-b")::connect,
                Clock.systemUTC())));
  }

  @Test
  void eachAttachedStaticHostFloodsToTheOtherAndTheCloudsGateways() throws Exception {
    CloudFleetWiring wiring = wiring(cloud("10.9.0.254"));
    Orchestrator.Ports ports = wiring.ports();
    HostOrder offer = wiring.config().offers().get(0);

    ports.fleet().launch("launch-1", offer);
    ListedHosts.await(ports, 1, Duration.ofSeconds(10));
    ports.fleet().launch("launch-2", offer);
    ListedHosts.await(ports, 2, Duration.ofSeconds(10));

    // an attach applies the lists before it returns, so both are there once the host is listed
    assertEquals(
        List.of(
            new Exec("root", SCRIPT + " " + GATEWAY),
            new Exec("root", SCRIPT + " 10.9.0.2 " + GATEWAY)),
        a.execs());
    assertEquals(List.of(new Exec("root", SCRIPT + " 10.9.0.1 " + GATEWAY)), b.execs());
  }

  /** A role=gateway line of staticHosts for a machine. */
  private static String gatewayLine(LocalSshServer machine, String name, String vtep)
      throws Exception {
    String host = line(machine, name, vtep);
    return host.replace(" pool=" + POOL.instanceType() + "@" + POOL.zone(), " role=gateway");
  }

  @Test
  void aGatewayListedInStaticHostsFloodsToEveryAttachedHostOverItsSshSession() throws Exception {
    LocalSshServer g = open.remember(LocalSshServer.start(dir.resolve("g")));
    SpotNestCloud cloud = cloud(GATEWAY);
    cloud.setStaticHosts(cloud.getStaticHosts() + "\n" + gatewayLine(g, "gw-1", GATEWAY));
    CloudFleetWiring wiring = wiring(cloud);
    Orchestrator.Ports ports = wiring.ports();
    HostOrder offer = wiring.config().offers().get(0);

    ports.fleet().launch("launch-1", offer);
    ListedHosts.await(ports, 1, Duration.ofSeconds(10));
    ports.fleet().launch("launch-2", offer);
    ListedHosts.await(ports, 2, Duration.ofSeconds(10));

    Exec want = new Exec("root", SCRIPT + " 10.9.0.1 10.9.0.2");
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // the next check (15 s)
    while (g.execs().isEmpty() || !g.execs().get(g.execs().size() - 1).equals(want)) {
      assertTrue(System.nanoTime() < until, "gateway's last run " + want + ", got " + g.execs());
      Thread.sleep(50);
    }
    assertEquals(
        List.of(new Exec("root", SCRIPT + " 10.9.0.1 " + GATEWAY)),
        b.execs(),
        "the hosts flood to the gateway too");
  }

  @Test
  void aGatewayWhoseVtepIsNotInOverlayGatewaysIsOneLineNamingTheFields() throws Exception {
    LocalSshServer g = open.remember(LocalSshServer.start(dir.resolve("g")));
    SpotNestCloud cloud = cloud(GATEWAY);
    cloud.setStaticHosts(cloud.getStaticHosts() + "\n" + gatewayLine(g, "gw-9", "10.9.0.9"));
    FleetConfigException e = assertThrows(FleetConfigException.class, wiring(cloud)::ports);
    assertEquals(
        "staticHosts: gateway 'gw-9' has VTEP 10.9.0.9, which is not in overlayGateways",
        e.getMessage());

    SpotNestCloud none = cloud("");
    none.setStaticHosts(none.getStaticHosts() + "\n" + gatewayLine(g, "gw-1", GATEWAY));
    FleetConfigException empty = assertThrows(FleetConfigException.class, wiring(none)::ports);
    assertEquals(
        "staticHosts: gateway 'gw-1' is listed but overlayGateways is empty; put its VTEP "
            + GATEWAY
            + " there",
        empty.getMessage());
    assertEquals(List.of(), g.execs());
  }

  @Test
  void withoutOverlayGatewaysNothingIsRunOnTheStaticHosts() throws Exception {
    CloudFleetWiring wiring = wiring(cloud(""));
    Orchestrator.Ports ports = wiring.ports();
    HostOrder offer = wiring.config().offers().get(0);
    ports.fleet().launch("launch-1", offer);
    ports.fleet().launch("launch-2", offer);
    ListedHosts.await(ports, 2, Duration.ofSeconds(10));

    assertEquals(List.of(), a.execs());
    assertEquals(List.of(), b.execs());
  }

  @Test
  void aBadOverlayGatewayIsOneLineNamingTheField() {
    SpotNestCloud cloud = new SpotNestCloud("ci");
    for (String bad : List.of("fd00::1", "gateway.example", "10.9.0.256")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> cloud.setOverlayGateways("10.9.0.1 " + bad));
      assertEquals(
          "overlayGateways: '"
              + bad
              + "' is not an IPv4 address such as 10.0.9.1, the gateway's VXLAN underlay address",
          e.getMessage());
      FormValidation check =
          new SpotNestCloud.DescriptorImpl().doCheckOverlayGateways("10.9.0.1, " + bad);
      assertEquals(FormValidation.Kind.ERROR, check.kind);
      assertTrue(
          check.getMessage().startsWith("overlayGateways: '" + bad + "'"), check.getMessage());
    }
    assertEquals(
        FormValidation.Kind.OK,
        new SpotNestCloud.DescriptorImpl().doCheckOverlayGateways("10.9.0.1, 10.9.0.2").kind);
    cloud.setOverlayGateways(" 10.9.0.1,10.9.0.2 ");
    assertEquals("10.9.0.1,10.9.0.2", cloud.getOverlayGateways());
  }

  @Test
  void aBadValueThatBypassedTheSetterIsRefusedWhenTheFleetIsBuiltAndNothingIsCalled()
      throws Exception {
    SpotNestCloud cloud = cloud("");
    FleetSettings bypassed = cloud.fleetSettings().withOverlayGateways("10.9.0.1 fd00::1");
    Path home = Files.createDirectories(dir.resolve("home"));
    CloudFleetWiring wiring =
        open.remember(
            new CloudFleetWiring(
                () -> List.of(bypassed),
                () -> home,
                new FleetSeams(
                    library -> Optional.empty(),
                    FleetSeams.real().staticHosts(),
                    new StubHypervisors("rack1-a", "rack1-b")::connect,
                    Clock.systemUTC())));
    FleetConfigException e = assertThrows(FleetConfigException.class, wiring::ports);
    assertTrue(e.getMessage().startsWith("overlayGateways: 'fd00::1'"), e.getMessage());
    assertEquals(List.of(), a.execs());
  }

  @Test
  void anEc2CloudNamesItsGatewaysInItsEc2Settings() throws Exception {
    SpotNestCloud cloud = new SpotNestCloud("ci");
    cloud.setOverlayGateways("10.9.0.254");
    cloud.setEc2(new Ec2Fleet("eu-west-1", "ami-0123456789abcdef0", "m5.large@eu-west-1a"));
    Path home = Files.createDirectories(dir.resolve("home"));
    CloudFleetWiring wiring =
        open.remember(
            new CloudFleetWiring(
                () -> List.of(cloud.fleetSettings()),
                () -> home,
                new FleetSeams(
                    library -> Optional.empty(),
                    FleetSeams.real().staticHosts(),
                    new StubHypervisors("rack1-a")::connect,
                    Clock.systemUTC())));
    FleetConfigException e = assertThrows(FleetConfigException.class, wiring::ports);
    assertEquals(
        "overlayGateways: an EC2 cloud names its overlay gateways in ec2's overlayGateways;"
            + " leave this one empty",
        e.getMessage());
  }
}
