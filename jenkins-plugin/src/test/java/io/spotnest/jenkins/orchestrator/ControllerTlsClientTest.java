package io.spotnest.jenkins.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.spotnest.pki.ClusterCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller's TLS files and the URIs that name them. */
class ControllerTlsClientTest {
  @TempDir Path home;

  @Test
  void aTlsUriNamesTheFilesEscapedOtherUrisAreUnchanged() {
    Path pki = home.resolve("jenkins home+1/spotnest/pki");
    ClusterCa ca = ClusterCa.create("ci", Clock.systemUTC(), Duration.ofDays(30));
    ControllerTlsClient tls = ControllerTlsClient.prepare(pki, ca, Clock.systemUTC());

    assertEquals(
        "qemu+tls://10.0.0.10/system?pkipath="
            + home.resolve("jenkins%20home%2B1/spotnest/pki/controller"),
        tls.clientUri("qemu+tls://10.0.0.10/system"));
    assertEquals(
        "qemu+unix:///system?socket=/run/a.sock",
        tls.clientUri("qemu+unix:///system?socket=/run/a.sock"));
  }

  @Test
  void aNewClusterCaGetsANewClientCertificate() throws Exception {
    Path pki = home.resolve("pki");
    ControllerTlsClient.prepare(
        pki, ClusterCa.create("ci", Clock.systemUTC(), Duration.ofDays(30)), Clock.systemUTC());
    Path cert = pki.resolve("controller/clientcert.pem");
    String first = Files.readString(cert);
    ClusterCa replaced = ClusterCa.create("ci", Clock.systemUTC(), Duration.ofDays(30));

    ControllerTlsClient.prepare(pki, replaced, Clock.systemUTC());

    assertNotEquals(first, Files.readString(cert));
    assertEquals(
        ClusterCa.pem(replaced.certificate()),
        Files.readString(pki.resolve("controller/cacert.pem")));
  }
}
