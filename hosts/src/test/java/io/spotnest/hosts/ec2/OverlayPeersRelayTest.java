package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostCapacity;
import io.spotnest.hosts.HostState;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.OverlayPeers;
import io.spotnest.hosts.Pool;
import io.spotnest.hosts.events.EventIntake;
import io.spotnest.hosts.events.IntakeObserver;
import io.spotnest.hosts.events.SeenEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/overlay-peers} answers a host its own flood list only: the relay token, and the
 * host's signed instance identity (header {@value OverlayPeersEndpoint#IDENTITY_HEADER}) sent from
 * the signed private IP, of a live host of the cluster, or of a configured overlay gateway. Hosts A
 * (127.0.0.1) and B (127.0.0.2) and the gateway (127.0.0.3, also its VTEP) are loopback source
 * addresses; the hosts' underlay addresses are 10.0.0.x.
 */
class OverlayPeersRelayTest {
  private static final String TOKEN = "relay-token-for-tests-0001";
  private static final String REGION = "us-east-1";
  private static final String HOST_A = "i-0aaaaaaaaaaaaaaa1";
  private static final String HOST_B = "i-0bbbbbbbbbbbbbbb2";
  private static final String HOST_C = "i-0ccccccccccccccc3";
  private static final String IP_A = "127.0.0.1";
  private static final String IP_B = "127.0.0.2";
  private static final String GATEWAY = "i-0ddddddddddddddd4";
  private static final String IP_GATEWAY = "127.0.0.3";

  private static TestIdentityCa aws;
  private static TestIdentityCa forger;
  private final List<Host> hosts = new CopyOnWriteArrayList<>();
  private final AtomicBoolean ec2Down = new AtomicBoolean();
  private ImdsRelayServer relay;

  private record Answer(int status, String body) {}

  @BeforeAll
  static void keys() throws Exception {
    aws = TestIdentityCa.aws();
    forger = new TestIdentityCa("Amazon Web Services LLC");
  }

  @BeforeEach
  void start() throws IOException {
    hosts.addAll(
        List.of(
            host(HOST_A, HostState.RUNNING, "10.0.0.1"),
            host(HOST_B, HostState.RUNNING, "10.0.0.2")));
    InstanceIdentityVerifier identities = new Pkcs7IdentityVerifier(aws.certificate, REGION);
    relay =
        new ImdsRelayServer(
            new InetSocketAddress(IP_A, 0),
            new RelayToken(TOKEN),
            identities,
            new EventIntake(
                e -> {},
                id -> true,
                SeenEvents.standard(Clock.systemUTC()),
                IntakeObserver.logging()),
            Optional.empty(),
            Optional.of(
                new OverlayPeersEndpoint(
                    identities,
                    () -> {
                      if (ec2Down.get()) {
                        throw new IllegalStateException("DescribeInstances failed");
                      }
                      return List.copyOf(hosts);
                    },
                    new OverlayPeers(List.of("10.0.9.1", IP_GATEWAY)))));
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
  }

  @Test
  void eachHostGetsTheOtherHostsAndTheGatewayAndNeverItself() throws Exception {
    assertEquals(
        new Answer(200, "10.0.0.2\n10.0.9.1\n127.0.0.3\n"), get(IP_A, identity(HOST_A, IP_A)));
    assertEquals(
        new Answer(200, "10.0.0.1\n10.0.9.1\n127.0.0.3\n"), get(IP_B, identity(HOST_B, IP_B)));
  }

  @Test
  void theListFollowsHostsJoiningAndLeaving() throws Exception {
    hosts.add(host(HOST_C, HostState.PENDING, "10.0.0.3"));
    assertEquals(
        new Answer(200, "10.0.0.2\n10.0.0.3\n10.0.9.1\n127.0.0.3\n"),
        get(IP_A, identity(HOST_A, IP_A)));
    hosts.set(1, hosts.get(1).withState(HostState.TERMINATING));
    assertEquals(
        new Answer(200, "10.0.0.3\n10.0.9.1\n127.0.0.3\n"), get(IP_A, identity(HOST_A, IP_A)));
  }

  @Test
  void aConfiguredGatewayGetsEveryLiveHostAndTheOtherGateways() throws Exception {
    hosts.add(host(HOST_C, HostState.PENDING, "10.0.0.3"));
    assertEquals(
        new Answer(200, "10.0.0.1\n10.0.0.2\n10.0.0.3\n10.0.9.1\n"),
        get(IP_GATEWAY, identity(GATEWAY, IP_GATEWAY)),
        "the instance whose signed private IP is a configured gateway VTEP");
    assertEquals(
        403,
        get(IP_A, identity(GATEWAY, IP_GATEWAY)).status(),
        "the gateway's identity sent from elsewhere");
    assertEquals(
        403,
        get(IP_B, identity("i-0eeeeeeeeeeeeeee5", IP_B)).status(),
        "an instance that is neither a host nor a gateway");
  }

  @Test
  void aHostCannotAskForAnothersList() throws Exception {
    // B presents A's identity (copied) from its own address
    assertEquals(403, get(IP_B, identity(HOST_A, IP_A)).status());
    assertEquals(
        new Answer(200, "10.0.0.1\n10.0.9.1\n127.0.0.3\n"),
        get(IP_B, identity(HOST_B, IP_B)),
        "B may ask for its own");
  }

  @Test
  void aRequestWithoutAValidIdentityIsRefused() throws Exception {
    assertEquals(403, get(IP_A, null).status(), "no identity");
    assertEquals(403, get(IP_A, "bm90IGEgc2lnbmF0dXJl").status(), "garbage");
    assertEquals(403, get(IP_A, forger.signedIdentity(HOST_A, IP_A, REGION)).status(), "forged");
    assertEquals(403, get(IP_A, aws.signedIdentity(HOST_A, IP_A, "eu-west-1")).status());
  }

  @Test
  void anInstanceThatIsNotALiveHostOfTheClusterGetsNothing() throws Exception {
    assertEquals(403, get(IP_A, identity(HOST_C, IP_A)).status(), "not ours");
    hosts.set(0, hosts.get(0).withState(HostState.TERMINATED));
    assertEquals(403, get(IP_A, identity(HOST_A, IP_A)).status(), "no longer live");
  }

  @Test
  void withoutTheTokenOrWithAnotherMethodNothingIsAnswered() throws Exception {
    assertEquals(
        401, request(IP_A, "GET", "wrong-token-wrong-token-1", identity(HOST_A, IP_A)).status());
    assertEquals(405, request(IP_A, "POST", TOKEN, identity(HOST_A, IP_A)).status());
  }

  @Test
  void whenTheHostListIsUnavailableTheHostAsksAgainLater() throws Exception {
    ec2Down.set(true);
    assertEquals(503, get(IP_A, identity(HOST_A, IP_A)).status());
  }

  private static String identity(String instanceId, String privateIp) throws Exception {
    return aws.signedIdentity(instanceId, privateIp, REGION);
  }

  private Answer get(String source, String identity) throws IOException {
    return request(source, "GET", TOKEN, identity);
  }

  /** Sends a request from {@code source} (a loopback address); the identity as one header line. */
  private Answer request(String source, String method, String token, String identity)
      throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      s.connect(relay.address(), 5_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          (method
                  + " "
                  + OverlayPeersEndpoint.PATH
                  + " HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer "
                  + token
                  + "\r\n"
                  + (identity == null
                      ? ""
                      : OverlayPeersEndpoint.IDENTITY_HEADER
                          + ": "
                          + identity.replace("\n", "")
                          + "\r\n")
                  + (method.equals("POST") ? "Content-Length: 0\r\n" : "")
                  + "Connection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(response.lines().findFirst().orElse("").split(" ")[1]);
      int bodyAt = response.indexOf("\r\n\r\n");
      return new Answer(status, bodyAt < 0 ? "" : response.substring(bodyAt + 4));
    }
  }

  private static Host host(String id, HostState state, String underlay) {
    URI uri = URI.create("qemu+tls://" + underlay + "/system");
    return new Host(
        id,
        new Pool("c8i.2xlarge", "us-east-1a"),
        Market.SPOT,
        state,
        uri,
        uri,
        Optional.of(underlay),
        HostCapacity.UNKNOWN,
        "use1-az6",
        Optional.empty(),
        Instant.EPOCH);
  }
}
