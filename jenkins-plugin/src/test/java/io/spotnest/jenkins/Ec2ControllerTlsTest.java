package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.ec2.Ec2QueryFake;
import io.spotnest.jenkins.orchestrator.CloudFleetWiring;
import io.spotnest.jenkins.orchestrator.FleetSeams;
import io.spotnest.migration.HypervisorEndpoint;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.port.ObservedHost;
import io.spotnest.pki.ClusterCa;
import io.spotnest.testbed.CapturedLogs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The controller's own libvirt TLS client identity for an EC2 cloud: issued by the cluster CA under
 * {@code $JENKINS_HOME/spotnest/pki/controller}, named in the {@code qemu+tls://} URIs of the
 * controller's connections, and checked with openssl the way libvirt's TLS checks it (the hosts'
 * server certificates are verified against the same cluster CA).
 */
class Ec2ControllerTlsTest {
  @TempDir Path home;
  @TempDir Path work;
  private Ec2QueryFake ec2;
  private CloudFleetWiring wiring;
  private final List<HypervisorEndpoint> connected = new CopyOnWriteArrayList<>();
  @RegisterExtension final CapturedLogs logs = CapturedLogs.messages();

  @BeforeEach
  void start() throws Exception {
    ec2 = new Ec2QueryFake();
  }

  @AfterEach
  void stop() throws Exception {
    if (wiring != null && wiring.ports().fleet() instanceof AutoCloseable fleet) {
      fleet.close();
    }
    ec2.close();
  }

  private CloudFleetWiring wiring() {
    Ec2Fleet fleet = new Ec2Fleet("us-east-1", "ami-0123456789abcdef0", "c8i.2xlarge@us-east-1a");
    fleet.setSubnets("us-east-1a=subnet-0aaa1111");
    fleet.setSecurityGroups("sg-0bbb2222");
    fleet.setMaxHosts(2);
    fleet.setMaxSpotHosts(2);
    fleet.setOnDemandPrices("c8i.2xlarge=0.4032");
    fleet.setRelayUrl("http://127.0.0.1:9/");
    fleet.setEc2Endpoint(ec2.endpoint().toString());
    SpotNestCloud cloud = new SpotNestCloud("ci");
    cloud.setHostMemoryMb(12288);
    cloud.setEc2(fleet);
    FleetSettings settings = cloud.fleetSettings();
    return new CloudFleetWiring(
        () -> List.of(settings),
        () -> home,
        new FleetSeams(
            library -> Optional.empty(),
            (hosts, socketDir, clock, overlay) -> {
              throw new AssertionError("an EC2 cloud opens no static hosts");
            },
            ep -> {
              connected.add(ep);
              throw new IllegalStateException("no libvirt in this test");
            },
            Clock.systemUTC(),
            () -> StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTLS1", "s"))));
  }

  private String openssl(int expectedExit, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(expectedExit, p.exitValue(), String.join(" ", cmd) + ": " + out);
    return out;
  }

  @Test
  void theControllersConnectionsToEc2HostsCarryItsClientCertificateFromTheClusterCa()
      throws Exception {
    wiring = wiring();
    Orchestrator.Ports ports = wiring.ports();
    ports.fleet().launch("launch-1", wiring.config().offers().get(0));
    ObservedHost host = awaitHost(ports);

    ports.mover().locate("ci-00c0ffee");

    Path controller = home.resolve("spotnest/pki/controller");
    assertEquals(1, connected.size(), connected.toString());
    HypervisorEndpoint ep = connected.get(0);
    assertEquals(host.id(), ep.name());
    URI client = URI.create(ep.clientUri());
    assertEquals("qemu+tls", client.getScheme());
    assertEquals("/system", client.getPath());
    assertEquals("pkipath=" + controller, client.getQuery());
    assertFalse(ep.clientUri().contains("no_verify"), ep.clientUri());
    assertFalse(ep.peerUri().contains("pkipath"), "the hosts' daemons use their own files");
    String address = client.getHost();

    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(controller)));
    for (String f : List.of("cacert.pem", "clientcert.pem", "clientkey.pem")) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(controller.resolve(f))),
          f);
    }
    assertEquals(
        Files.readString(home.resolve("spotnest/pki/ca/ca-cert.pem")),
        Files.readString(controller.resolve("cacert.pem")),
        "the controller trusts the cluster CA");
    String ca = controller.resolve("cacert.pem").toString();
    String cert = controller.resolve("clientcert.pem").toString();
    assertTrue(
        openssl(0, "verify", "-CAfile", ca, "-purpose", "sslclient", cert).contains(": OK"),
        "a client certificate of the cluster CA");
    assertEquals(
        openssl(0, "pkey", "-in", controller.resolve("clientkey.pem").toString(), "-pubout"),
        openssl(0, "x509", "-in", cert, "-noout", "-pubkey"),
        "the key belongs to the certificate");

    // the host's server certificate, signed on the relay for the key the host made, is
    // verified against the controller's cacert.pem for the address the URI dials
    openssl(
        0,
        "req",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "host-key.pem",
        "-subj",
        "/CN=" + host.id(),
        "-out",
        "host-req.pem");
    ClusterCa cluster = ClusterCa.load(home.resolve("spotnest/pki/ca"), Clock.systemUTC());
    Files.writeString(
        work.resolve("host-cert.pem"),
        ClusterCa.pem(
            cluster.signHost(
                Files.readString(work.resolve("host-req.pem")),
                host.id(),
                List.of(address),
                Duration.ofDays(30))));
    assertTrue(
        openssl(
                0,
                "verify",
                "-CAfile",
                ca,
                "-purpose",
                "sslserver",
                "-verify_ip",
                address,
                "host-cert.pem")
            .contains(": OK"));
    ClusterCa other = ClusterCa.create("ci", Clock.systemUTC(), Duration.ofDays(30));
    Files.writeString(
        work.resolve("foreign-cert.pem"),
        ClusterCa.pem(
            other.signHost(
                Files.readString(work.resolve("host-req.pem")),
                host.id(),
                List.of(address),
                Duration.ofDays(30))));
    assertNotEquals(
        0,
        exit("verify", "-CAfile", ca, "-purpose", "sslserver", "foreign-cert.pem"),
        "a server certificate of another CA is refused");

    for (String log : logs.lines()) {
      assertFalse(log.contains("PRIVATE KEY"), log);
    }
  }

  @Test
  void theControllersCertificateIsKeptAcrossRebuildsOfTheFleet() throws Exception {
    wiring = wiring();
    wiring.ports();
    Path cert = home.resolve("spotnest/pki/controller/clientcert.pem");
    String first = Files.readString(cert);
    wiring.ports().fleet();

    CloudFleetWiring again = wiring();
    again.ports();
    assertEquals(first, Files.readString(cert));
    if (again.ports().fleet() instanceof AutoCloseable fleet) {
      fleet.close();
    }
  }

  private int exit(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    p.getInputStream().readAllBytes();
    return p.exitValue();
  }

  /** The one EC2 host the orchestrator launched. */
  private static ObservedHost awaitHost(Orchestrator.Ports ports) throws InterruptedException {
    return ListedHosts.await(ports, 1, Duration.ofSeconds(20)).get(0);
  }
}
