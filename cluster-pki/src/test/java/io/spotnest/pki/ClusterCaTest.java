package io.spotnest.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster CA's certificates checked with the JDK's own PKIX validator and TLS stack (hostname
 * check included).
 */
class ClusterCaTest {
  private static final Duration YEAR = Duration.ofDays(365);
  private static ClusterCa ca;

  @TempDir Path dir;

  @BeforeAll
  static void createCa() {
    ca = ClusterCa.create("ci-east", Clock.systemUTC(), Duration.ofDays(3650));
  }

  @Test
  void hostCertificateChainsToTheCaAndNamesTheAddressesUsed() throws Exception {
    IssuedCertificate host =
        ca.issueHost("ip-10-0-1-23", List.of("10.0.1.23", "ip-10-0-1-23.ec2.internal"), YEAR);
    validate(host.certificate(), ca.certificate()); // throws if the chain does not hold
    assertEquals(
        Set.of(List.of(7, "10.0.1.23"), List.of(2, "ip-10-0-1-23.ec2.internal")),
        Set.copyOf(host.certificate().getSubjectAlternativeNames()));
    assertEquals(
        List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"),
        host.certificate().getExtendedKeyUsage(),
        "serverAuth, clientAuth");
    assertEquals(-1, host.certificate().getBasicConstraints(), "not a CA");
    boolean[] usage = host.certificate().getKeyUsage();
    assertTrue(
        usage[0] && usage[2],
        "digitalSignature and keyEncipherment (libvirt's GnuTLS checks both)");
    assertEquals(0, ca.certificate().getBasicConstraints(), "the CA may sign leaves only");
    assertEquals(
        List.of("1.3.6.1.5.5.7.3.2"),
        ca.issueClient("controller", YEAR).certificate().getExtendedKeyUsage());
  }

  @Test
  void aCertificateOfAnotherClusterDoesNotValidate() {
    ClusterCa other = ClusterCa.create("ci-west", Clock.systemUTC(), YEAR);
    IssuedCertificate foreign = other.issueHost("h1", List.of("10.0.1.23"), YEAR);
    assertThrows(
        CertPathValidatorException.class, () -> validate(foreign.certificate(), ca.certificate()));
  }

  @Test
  void mutualTlsSucceedsOnlyWhenTheServerCertificateNamesTheAddressDialled() throws Exception {
    IssuedCertificate client = ca.issueClient("controller", YEAR);
    IssuedCertificate rightHost = ca.issueHost("h1", List.of("127.0.0.1"), YEAR);
    IssuedCertificate wrongHost = ca.issueHost("h2", List.of("127.0.0.2"), YEAR);

    assertEquals(
        "CN=controller,O=SpotNest",
        handshake(rightHost, client),
        "the server saw the controller's client certificate");
    assertThrows(
        SSLException.class,
        () -> handshake(wrongHost, client),
        "hostname check against the IP SAN");
    assertThrows(
        IOException.class,
        () -> handshake(rightHost, null),
        "a client without a certificate is refused");
  }

  @Test
  void filesAreOwnerOnlyAndKeysAreNeverPrinted() throws Exception {
    Path caDir = dir.resolve("ca");
    ca.write(caDir);
    IssuedCertificate host = ca.issueHost("h1", List.of("10.0.1.23"), YEAR);
    host.write(dir.resolve("pki/servercert.pem"), dir.resolve("pki/private/serverkey.pem"));
    for (Path f :
        List.of(
            caDir.resolve(ClusterCa.CA_CERT),
            caDir.resolve(ClusterCa.CA_KEY),
            dir.resolve("pki/servercert.pem"),
            dir.resolve("pki/private/serverkey.pem"))) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
          f.toString());
    }
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir)));
    String keyPem = Files.readString(dir.resolve("pki/private/serverkey.pem"));
    assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----\n"), keyPem.substring(0, 30));
    String keyText = Base64.getEncoder().encodeToString(host.key().getEncoded()).substring(0, 40);
    assertFalse(
        host.toString().contains(keyText) || ca.toString().contains("PRIVATE"), host + " " + ca);
    assertTrue(host.toString().contains("****"));

    Path trustOnly = dir.resolve("trust/cacert.pem");
    ca.writeCertificate(trustOnly);
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(trustOnly)));
    assertEquals(ca.certificate(), PemFiles.readCertificate(trustOnly));
    assertEquals(
        List.of("cacert.pem"),
        List.of(dir.resolve("trust").toFile().list()),
        "the CA key is not written");

    ClusterCa reloaded = ClusterCa.loadOrCreate(caDir, "ci-east", Clock.systemUTC(), YEAR);
    assertEquals(
        ca.certificate(), reloaded.certificate(), "the existing CA is loaded, not replaced");
    validate(reloaded.issueHost("h2", List.of("10.0.2.9"), YEAR).certificate(), ca.certificate());
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ca.issueHost("h1", List.of("10.0.1.23", "not a name!"), YEAR));
    assertTrue(e.getMessage().startsWith("names: 'not a name!'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ca.issueHost("h1", List.of(), YEAR));
    assertTrue(e.getMessage().startsWith("names:"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClusterCa.create("Bad Cluster", Clock.systemUTC(), YEAR));
    assertTrue(e.getMessage().startsWith("cluster:"), e.getMessage());
  }

  private static void validate(X509Certificate leaf, X509Certificate anchor) throws Exception {
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
  }

  /**
   * A TLS server on 127.0.0.1 presenting {@code server} and requiring a client certificate from the
   * cluster CA; a client trusting only the CA dials 127.0.0.1 with hostname checking on. Returns
   * the client subject the server saw.
   */
  private static String handshake(IssuedCertificate server, IssuedCertificate client)
      throws Exception {
    SSLContext serverContext = context(server);
    try (SSLServerSocket listener =
        (SSLServerSocket)
            serverContext
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      listener.setNeedClientAuth(true);
      CompletableFuture<String> seen =
          CompletableFuture.supplyAsync(
              () -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                  s.setSoTimeout(10_000);
                  s.startHandshake();
                  String who =
                      ((X509Certificate) s.getSession().getPeerCertificates()[0])
                          .getSubjectX500Principal()
                          .getName();
                  s.getOutputStream().write(1);
                  return who;
                } catch (IOException e) {
                  return "server: " + e.getMessage();
                }
              });
      try (SSLSocket s =
          (SSLSocket)
              context(client)
                  .getSocketFactory()
                  .createSocket("127.0.0.1", listener.getLocalPort())) {
        s.setSoTimeout(10_000);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.startHandshake();
        InputStream in = s.getInputStream();
        if (in.read() != 1) { // TLS 1.3: a refused client certificate shows on the first read
          throw new IOException("server closed the connection");
        }
        OutputStream ignored = s.getOutputStream();
      }
      return seen.get(10, TimeUnit.SECONDS);
    }
  }

  private static SSLContext context(IssuedCertificate own) throws Exception {
    char[] pw = "unused".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, pw);
    if (own != null) {
      keys.setKeyEntry(
          "own", own.key(), pw, new X509Certificate[] {own.certificate(), ca.certificate()});
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, pw);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, pw);
    trust.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return c;
  }
}
