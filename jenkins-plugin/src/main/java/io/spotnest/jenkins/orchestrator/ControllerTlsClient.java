package io.spotnest.jenkins.orchestrator;

import io.spotnest.pki.ClusterCa;
import io.spotnest.pki.IssuedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * The controller's own libvirt TLS client identity, for its {@code qemu+tls://} connections to the
 * hosts (and so for every migration it drives): a client certificate of the cluster CA with its
 * key, and the CA certificate the hosts' server certificates are verified against, in libvirt's
 * {@code pkipath} layout ({@code cacert.pem}, {@code clientcert.pem}, {@code clientkey.pem}) under
 * {@code $JENKINS_HOME/spotnest/pki/controller} (0700, files 0600). The certificate is kept while
 * the same CA signed it and it is not near its end; the key is never logged. libvirt verifies the
 * server's certificate and name by default; the URIs never turn that off.
 */
final class ControllerTlsClient {
  private static final Logger LOGGER = Logger.getLogger(ControllerTlsClient.class.getName());
  static final String DIR = "controller";
  static final String NAME = "spotnest-controller";
  static final Duration VALIDITY = Duration.ofDays(825);
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private final Path dir;

  private ControllerTlsClient(Path dir) {
    this.dir = dir;
  }

  /** Writes (or keeps) the controller's files under {@code pki/controller}. */
  static ControllerTlsClient prepare(Path pki, ClusterCa ca, Clock clock) {
    Path dir = pki.resolve(DIR);
    try {
      ClusterPki.privateDir(dir);
      Path caFile = dir.resolve("cacert.pem");
      if (!Files.exists(caFile) || !read(caFile).equals(ca.certificate())) {
        ca.writeCertificate(caFile);
      }
      Path cert = dir.resolve("clientcert.pem");
      Path key = dir.resolve("clientkey.pem");
      if (!Files.exists(key) || !current(cert, ca, clock.instant())) {
        IssuedCertificate issued = ca.issueClient(NAME, VALIDITY);
        issued.write(cert, key);
        LOGGER.info("SpotNest: the controller's libvirt TLS client certificate written to " + dir);
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new FleetConfigException(
          "SpotNest: cannot write the controller's TLS files under " + dir + ": " + e.getMessage());
    }
    return new ControllerTlsClient(dir);
  }

  /** Where the files are (libvirt's {@code pkipath}). */
  Path dir() {
    return dir;
  }

  /**
   * The URI the controller connects with: a {@code qemu+tls://} URI names the controller's files
   * ({@code pkipath}); any other URI is unchanged.
   */
  String clientUri(String hostUri) {
    if (!hostUri.startsWith("qemu+tls://")) {
      return hostUri;
    }
    return hostUri + (hostUri.contains("?") ? "&" : "?") + "pkipath=" + escaped(dir.toString());
  }

  /** Percent-encodes all but unreserved characters and '/' (libvirt unescapes, '+' is a space). */
  private static String escaped(String path) {
    StringBuilder b = new StringBuilder();
    for (byte c : path.getBytes(StandardCharsets.UTF_8)) {
      char ch = (char) (c & 0xff);
      if ((ch >= 'a' && ch <= 'z')
          || (ch >= 'A' && ch <= 'Z')
          || (ch >= '0' && ch <= '9')
          || "/-._~".indexOf(ch) >= 0) {
        b.append(ch);
      } else {
        b.append('%').append(String.format("%02X", c & 0xff));
      }
    }
    return b.toString();
  }

  private static boolean current(Path cert, ClusterCa ca, Instant now)
      throws IOException, GeneralSecurityException {
    if (!Files.exists(cert)) {
      return false;
    }
    X509Certificate c = read(cert);
    try {
      c.verify(ca.certificate().getPublicKey());
    } catch (GeneralSecurityException e) {
      return false; // another CA's: issue a new one
    }
    return c.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE));
  }

  private static X509Certificate read(Path file) throws IOException, GeneralSecurityException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
  }
}
