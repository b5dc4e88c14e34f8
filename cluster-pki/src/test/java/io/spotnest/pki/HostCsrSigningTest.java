package io.spotnest.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host keeps its private key: it sends a CSR made with openssl (as the host setup does), and the
 * CA signs the CSR's public key with the names the controller vouches for, never the CSR's own.
 */
class HostCsrSigningTest {
  private static final Duration DAY = Duration.ofDays(1);
  private final ClusterCa ca = ClusterCa.create("ci-east", Clock.systemUTC(), DAY.multipliedBy(30));

  @TempDir Path dir;

  private String openssl(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private String csr(String subject) throws Exception {
    openssl(
        "req",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "key.pem",
        "-subj",
        subject,
        "-addext",
        "subjectAltName=IP:203.0.113.9,DNS:evil.example",
        "-out",
        "req.pem");
    return Files.readString(dir.resolve("req.pem"));
  }

  @Test
  void theCsrKeyIsCertifiedForTheVouchedNamesOnly() throws Exception {
    String pem = csr("/CN=whatever-the-host-says");
    X509Certificate cert =
        ca.signHost(pem, "i-0123456789abcdef0", List.of("10.0.1.23", "ip-10-0-1-23"), DAY);
    assertEquals(
        Set.of(List.of(7, "10.0.1.23"), List.of(2, "ip-10-0-1-23")),
        Set.copyOf(cert.getSubjectAlternativeNames()),
        "the SANs the controller gave, not the CSR's");
    assertTrue(cert.getSubjectX500Principal().getName().contains("CN=i-0123456789abcdef0"));
    assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());
    cert.verify(ca.certificate().getPublicKey());
    // the certificate matches the key that never left the host (openssl compares them)
    Files.writeString(dir.resolve("cert.pem"), ClusterCa.pem(cert));
    Files.writeString(dir.resolve("ca.pem"), ClusterCa.pem(ca.certificate()));
    assertTrue(openssl("verify", "-CAfile", "ca.pem", "cert.pem").contains("cert.pem: OK"));
    assertTrue(
        openssl("x509", "-in", "cert.pem", "-noout", "-checkip", "10.0.1.23")
            .contains("does match"));
    assertEquals(
        openssl("pkey", "-in", "key.pem", "-pubout"),
        openssl("x509", "-in", "cert.pem", "-noout", "-pubkey"));
  }

  @Test
  void aTamperedOrMalformedCsrIsRefused() throws Exception {
    String pem = csr("/CN=h");
    String body = pem.replaceAll("-----[A-Z ]+-----|\\s", "");
    byte[] der = java.util.Base64.getDecoder().decode(body);
    der[der.length - 5] ^= 1; // inside the signature
    String tampered =
        "-----BEGIN CERTIFICATE REQUEST-----\n"
            + java.util.Base64.getMimeEncoder().encodeToString(der)
            + "\n-----END CERTIFICATE REQUEST-----\n";
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> ca.signHost(tampered, "h", List.of("10.0.1.23"), DAY));
    assertTrue(bad.getMessage().startsWith("csr: "), bad.getMessage());
    IllegalArgumentException junk =
        assertThrows(
            IllegalArgumentException.class,
            () -> ca.signHost("not a csr", "h", List.of("10.0.1.23"), DAY));
    assertTrue(junk.getMessage().startsWith("csr: "), junk.getMessage());
    assertFalse(junk.getMessage().contains("BEGIN"));
  }
}
