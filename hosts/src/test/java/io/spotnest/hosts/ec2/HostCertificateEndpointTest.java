package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.pki.ClusterCa;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who gets a host certificate, and for which names. */
class HostCertificateEndpointTest {
  private static final String A = "i-0aaaaaaaaaaaaaaaa";
  private static final String B = "i-0bbbbbbbbbbbbbbbb";
  private static ClusterCa ca;
  private static String csr;

  @TempDir static Path dir;

  @BeforeAll
  static void setUp() throws Exception {
    ca = ClusterCa.create("ci", Clock.systemUTC(), Duration.ofDays(30));
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-new",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                dir.resolve("k.pem").toString(),
                "-subj",
                "/CN=x")
            .start();
    csr = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0);
  }

  private static HostCertificateEndpoint endpoint(String region) {
    return new HostCertificateEndpoint(
        ca, TestIdentityCa.awsVerifier(region), Set.of(A, B)::contains, Duration.ofDays(7));
  }

  private static String body(String instanceId, String identity, String csrPem) {
    return "{\"instanceId\":\""
        + instanceId
        + "\",\"identity\":\""
        + identity.replace("\n", "\\n")
        + "\",\"csr\":\""
        + csrPem.replace("\n", "\\n")
        + "\"}";
  }

  private static InetAddress ip(String a) throws Exception {
    return InetAddress.getByName(a);
  }

  @Test
  void theCertificateNamesTheSignedPrivateIpAndEc2Name() throws Exception {
    String identity = TestIdentityCa.aws().signedIdentity(A, "10.0.1.23", "eu-west-1");
    HostCertificateEndpoint.Answer a =
        endpoint("eu-west-1").answer(body(A, identity, csr), ip("10.0.1.23"));
    assertEquals(200, a.status(), a.body());
    X509Certificate cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new java.io.ByteArrayInputStream(a.body().getBytes(StandardCharsets.US_ASCII)));
    cert.verify(ca.certificate().getPublicKey());
    assertEquals(
        Set.of(List.of(7, "10.0.1.23"), List.of(2, "ip-10-0-1-23.eu-west-1.compute.internal")),
        Set.copyOf(cert.getSubjectAlternativeNames()));
    assertTrue(cert.getSubjectX500Principal().getName().contains("CN=" + A));
    Files.writeString(dir.resolve("c.pem"), a.body());
  }

  @Test
  void aHostCannotGetACertificateForAnotherOrFromElsewhere() throws Exception {
    HostCertificateEndpoint e = endpoint("us-east-1");
    String identityA = TestIdentityCa.aws().signedIdentity(A, "10.0.1.23", "us-east-1");
    assertEquals(403, e.answer(body(B, identityA, csr), ip("10.0.1.23")).status(), "about B");
    assertEquals(403, e.answer(body(A, identityA, csr), ip("10.0.1.24")).status(), "from B's IP");
    String stranger =
        TestIdentityCa.aws().signedIdentity("i-0ccccccccccccccc0", "10.0.1.25", "us-east-1");
    assertEquals(
        403,
        e.answer(body("i-0ccccccccccccccc0", stranger, csr), ip("10.0.1.25")).status(),
        "not launched by this cluster");
    String otherRegion = TestIdentityCa.aws().signedIdentity(A, "10.0.1.23", "us-west-2");
    assertEquals(403, e.answer(body(A, otherRegion, csr), ip("10.0.1.23")).status());
  }

  @Test
  void badRequestsAreAnswered400NamingTheField() throws Exception {
    HostCertificateEndpoint e = endpoint("us-east-1");
    String identity = TestIdentityCa.aws().signedIdentity(A, "10.0.1.23", "us-east-1");
    HostCertificateEndpoint.Answer bad = e.answer(body(A, identity, "garbage"), ip("10.0.1.23"));
    assertEquals(400, bad.status());
    assertTrue(bad.body().startsWith("csr: "), bad.body());
    assertEquals(400, e.answer("{\"instanceId\":\"" + A + "\"}", ip("10.0.1.23")).status());
    assertEquals(400, e.answer("[", ip("10.0.1.23")).status());
  }
}
