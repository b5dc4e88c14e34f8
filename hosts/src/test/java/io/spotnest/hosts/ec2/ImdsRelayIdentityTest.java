package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.events.EventIntake;
import io.spotnest.hosts.events.IntakeObserver;
import io.spotnest.hosts.events.SeenEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay accepts a notice only for the instance that sends it: the notice carries the host's
 * instance identity document signed by AWS (here a test CA standing in for the region's RSA-2048
 * certificate), the signed instance id must be the notice's, and the request must come from the
 * signed private IP. Hosts A (127.0.0.1) and B (127.0.0.2) are two loopback source addresses.
 */
class ImdsRelayIdentityTest {
  private static final String TOKEN = "relay-token-for-tests-0001";
  private static final String REGION = "us-east-1";
  private static final String HOST_A = "i-0aaaaaaaaaaaaaaa1";
  private static final String HOST_B = "i-0bbbbbbbbbbbbbbb2";
  private static final String IP_A = "127.0.0.1";
  private static final String IP_B = "127.0.0.2";
  private static final String ACTION =
      "{\"action\":\"terminate\",\"time\":\"2026-11-23T12:02:00Z\"}";

  private static TestIdentityCa aws;
  private static TestIdentityCa forger;
  private final List<HostEvent> durable = Collections.synchronizedList(new ArrayList<>());
  private ImdsRelayServer relay;

  @BeforeAll
  static void keys() throws Exception {
    aws = TestIdentityCa.aws();
    forger = new TestIdentityCa("Amazon Web Services LLC");
  }

  @BeforeEach
  void start() throws IOException {
    EventIntake intake =
        new EventIntake(
            durable::add,
            Set.of(HOST_A, HOST_B)::contains,
            SeenEvents.standard(Clock.systemUTC()),
            IntakeObserver.logging());
    relay =
        new ImdsRelayServer(
            new InetSocketAddress(IP_A, 0),
            new RelayToken(TOKEN),
            new Pkcs7IdentityVerifier(aws.certificate, REGION),
            intake);
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
  }

  @Test
  void aHostsOwnSignedNoticeIsAccepted() throws Exception {
    assertEquals(204, post(IP_A, HOST_A, aws.signedIdentity(HOST_A, IP_A, REGION)));
    assertEquals(1, durable.size());
    assertEquals(HOST_A, durable.get(0).hostId());
  }

  @Test
  void aHostCannotSpeakForAnother() throws Exception {
    // B holds a valid identity of its own and the cluster token, and claims A is being reclaimed
    assertEquals(403, post(IP_B, HOST_A, aws.signedIdentity(HOST_B, IP_B, REGION)));
    assertEquals(List.of(), durable, "A is not evacuated on B's word");
    assertEquals(
        204,
        post(IP_B, HOST_B, aws.signedIdentity(HOST_B, IP_B, REGION)),
        "B may speak for itself");
    assertEquals(List.of(HOST_B), durable.stream().map(HostEvent::hostId).toList());
  }

  @Test
  void aCopiedIdentitySentFromAnotherAddressIsRefused() throws Exception {
    assertEquals(403, post(IP_B, HOST_A, aws.signedIdentity(HOST_A, IP_A, REGION)));
    assertEquals(List.of(), durable);
  }

  @Test
  void anIdentityNotSignedByTheRegionsCertificateIsRefused() throws Exception {
    assertEquals(403, post(IP_A, HOST_A, forger.signedIdentity(HOST_A, IP_A, REGION)));
    assertEquals(List.of(), durable);
  }

  @Test
  void aDocumentChangedAfterSigningIsRefused() throws Exception {
    // B rewrites the instance id inside its own signed document (same length, so the structure
    // stays valid)
    byte[] der = Base64.getMimeDecoder().decode(aws.signedIdentity(HOST_B, IP_A, REGION));
    String latin = new String(der, StandardCharsets.ISO_8859_1);
    assertTrue(latin.contains(HOST_B));
    String tampered =
        Base64.getEncoder()
            .encodeToString(latin.replace(HOST_B, HOST_A).getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(403, post(IP_A, HOST_A, tampered));
    assertEquals(List.of(), durable);
  }

  @Test
  void anIdentityOfAnotherRegionIsRefused() throws Exception {
    assertEquals(403, post(IP_A, HOST_A, aws.signedIdentity(HOST_A, IP_A, "eu-west-1")));
    assertEquals(List.of(), durable);
  }

  @Test
  void aNoticeWithoutIdentityOrWithGarbageIsRefused() throws Exception {
    assertEquals(403, post(IP_A, HOST_A, null));
    assertEquals(403, post(IP_A, HOST_A, "bm90IGEgc2lnbmF0dXJl"));
    assertEquals(List.of(), durable);
  }

  /** POSTs a notice from {@code source} (a loopback address) and returns the HTTP status. */
  private int post(String source, String instanceId, String identity) throws IOException {
    String body =
        "{\"instanceId\":\""
            + instanceId
            + "\",\"kind\":\"spot-instance-action\",\"payload\":"
            + quote(ACTION)
            + (identity == null ? "" : ",\"identity\":" + quote(identity))
            + "}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      s.connect(relay.address(), 5_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST "
                  + ImdsRelayServer.PATH
                  + " HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer "
                  + TOKEN
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + bytes.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      InputStream in = s.getInputStream();
      String status =
          new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
