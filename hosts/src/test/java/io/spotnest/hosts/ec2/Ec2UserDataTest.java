package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.pki.ClusterCa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ec2UserDataTest {
  private static final List<String> BASE =
      List.of(
          "cluster = ci",
          "region = us-east-1",
          "image = ami-0123456789abcdef0",
          "pools = c8i.2xlarge@us-east-1a",
          "cap.hosts = 2",
          "relay.url = https://controller.example:8443");
  private static final RelayToken TOKEN = new RelayToken("relay-token-0123456789abcdef");
  private static final ClusterCa CA =
      ClusterCa.create("ci", java.time.Clock.systemUTC(), java.time.Duration.ofDays(30));
  private static final Optional<X509Certificate> CA_CERT = Optional.of(CA.certificate());

  @TempDir Path dir;

  private static Ec2Settings settings(String... extra) {
    List<String> lines = new ArrayList<>(BASE);
    lines.addAll(List.of(extra));
    return Ec2SettingsFile.parse("t.conf", lines);
  }

  @Test
  void tlsUserDataIsValidBashUnderTheEc2LimitAndCarriesTheScripts() throws Exception {
    HostUserData data = new HostUserData(settings(), TOKEN, Optional.empty(), CA_CERT);
    byte[] sent = java.util.Base64.getDecoder().decode(data.base64());
    assertTrue(sent.length < HostUserData.MAX_BYTES, "size " + sent.length);
    String script =
        new String(
            new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(sent))
                .readAllBytes(),
            StandardCharsets.UTF_8);
    assertEquals(data.script(), script, "gzip user-data, which cloud-init unpacks");
    assertTrue(script.contains("SPOTNEST_LIBVIRT_ACCESS=tls"));
    assertTrue(script.contains("SPOTNEST_RELAY_URL='https://controller.example:8443'"));
    assertTrue(
        script.contains("spot/instance-action")
            && script.contains("events/recommendations/rebalance"),
        "watcher embedded");
    assertTrue(script.contains("listen_tls 1"), "setup embedded");
    assertEquals(
        1,
        script.split(TOKEN.reveal(), -1).length - 1,
        "the token appears once, in its root-only file");
    assertBashSyntax(script);
  }

  @Test
  void tlsUserDataCarriesTheClusterCaCertificateButNoKeyAndNeedsNoBakedCertificates()
      throws Exception {
    String script = new HostUserData(settings(), TOKEN, Optional.empty(), CA_CERT).script();
    assertTrue(script.contains(ClusterCa.pem(CA.certificate())), "the CA certificate (public)");
    assertTrue(script.contains("SPOTNEST_CA_CERT_FILE=/run/spotnest/cluster-ca.pem"));
    assertTrue(!script.contains("PRIVATE KEY"), "no private key of any kind");
    String caKey =
        java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(privateKeyOf(CA).getEncoded());
    assertTrue(!script.contains(caKey.substring(0, 64)), "not the CA key");
    assertTrue(script.contains("/v1/host-certificate"), "the host asks for its certificate");
    assertTrue(!script.contains("provision the libvirt certificates in the AMI"));
    assertTrue(script.contains("bash /run/spotnest/setup-host.sh"));
    assertTrue(
        script.contains("cat > /run/spotnest/bake-host.sh")
            && script.contains("cat > /run/spotnest/spotnest-overlay-peers.sh")
            && script.contains("cat > /run/spotnest/spotnest-overlay.sh")
            && script.contains("cat > /run/spotnest/spotnest-overlay-up.sh"),
        "every script setup-host.sh installs");
    IllegalArgumentException noCa =
        assertThrows(
            IllegalArgumentException.class,
            () -> new HostUserData(settings(), TOKEN, Optional.empty(), Optional.empty()));
    assertTrue(noCa.getMessage().startsWith("clusterCa: required"), noCa.getMessage());
    assertBashSyntax(script);
  }

  private static java.security.PrivateKey privateKeyOf(ClusterCa ca) throws Exception {
    Path d = Files.createTempDirectory("ca");
    ca.write(d);
    String pem = Files.readString(d.resolve(ClusterCa.CA_KEY));
    for (Path f : List.of(d.resolve(ClusterCa.CA_KEY), d.resolve(ClusterCa.CA_CERT), d)) {
      Files.delete(f);
    }
    byte[] der = java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    return java.security.KeyFactory.getInstance("RSA")
        .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
  }

  @Test
  void sshModeNeedsAValidPublicKey() throws Exception {
    Ec2Settings ssh = settings("libvirt = ssh");
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> new HostUserData(ssh, TOKEN, Optional.empty(), Optional.empty()));
    assertTrue(missing.getMessage().startsWith("sshPublicKey: required"), missing.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new HostUserData(
                ssh, TOKEN, Optional.of("ssh-ed25519 AAAA'; rm -rf /"), Optional.empty()));
    HostUserData data =
        new HostUserData(
            ssh,
            TOKEN,
            Optional.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx controller@spotnest"),
            Optional.empty());
    assertTrue(data.script().contains("SPOTNEST_LIBVIRT_ACCESS=ssh"));
    assertTrue(
        data.script()
            .contains(
                "export SPOTNEST_SSH_PUBLIC_KEY='ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx controller@spotnest'"));
    assertBashSyntax(data.script());
  }

  @Test
  void aLaunchsUserDataCarriesItsFloodListAsSetupHostReadsIt() throws Exception {
    HostUserData data = new HostUserData(settings(), TOKEN, Optional.empty(), CA_CERT);
    String script = data.script(List.of("10.0.2.5", "10.0.3.5"));
    assertTrue(script.contains("export SPOTNEST_OVERLAY_PEERS='10.0.2.5,10.0.3.5'\n"), script);
    assertTrue(
        script.indexOf("SPOTNEST_OVERLAY_PEERS")
            < script.indexOf("bash /run/spotnest/setup-host.sh"),
        "exported before the setup runs");
    assertBashSyntax(script);
    assertTrue(data.script().contains("export SPOTNEST_OVERLAY_PEERS=''\n"), "no peers: empty");
    IllegalArgumentException v6 =
        assertThrows(IllegalArgumentException.class, () -> data.script(List.of("fd00::2")));
    assertEquals(
        "overlayPeers: setup-host.sh takes IPv4 addresses only, got 'fd00::2'", v6.getMessage());
    assertThrows(IllegalArgumentException.class, () -> data.script(List.of("10.0.2.5';reboot")));
  }

  @Test
  void relayTokenRulesAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new RelayToken("short"));
    assertThrows(IllegalArgumentException.class, () -> new RelayToken("has a space in it 0123"));
    assertTrue(TOKEN.matches("relay-token-0123456789abcdef"));
    assertTrue(!TOKEN.matches("relay-token-0123456789abcdeX"));
  }

  @Test
  void setupScriptRefusesBadInputBeforeTouchingTheMachine() throws Exception {
    Path setup = dir.resolve("setup-host.sh");
    for (String script :
        List.of("setup-host.sh", "spotnest-overlay.sh", "spotnest-imds-watcher.sh")) {
      try (var in = getClass().getResourceAsStream("/io/spotnest/hosts/ec2/host/" + script)) {
        Files.write(dir.resolve(script), in.readAllBytes());
      }
    }
    Files.writeString(dir.resolve("token"), "relay-token-0123456789abcdef\n");
    assertSetupFails(
        setup,
        java.util.Map.of(
            "SPOTNEST_LIBVIRT_ACCESS",
            "telnet",
            "SPOTNEST_RELAY_URL",
            "http://c:1",
            "SPOTNEST_RELAY_TOKEN_FILE",
            dir.resolve("token").toString()),
        "SPOTNEST_LIBVIRT_ACCESS must be tls or ssh, got 'telnet'");
    assertSetupFails(
        setup,
        java.util.Map.of(
            "SPOTNEST_LIBVIRT_ACCESS",
            "tls",
            "SPOTNEST_RELAY_URL",
            "http://c:1",
            "SPOTNEST_RELAY_TOKEN_FILE",
            dir.resolve("absent").toString()),
        "relay token file " + dir.resolve("absent") + " not found");
    assertSetupFails(
        setup,
        java.util.Map.of(
            "SPOTNEST_LIBVIRT_ACCESS",
            "tls",
            "SPOTNEST_RELAY_TOKEN_FILE",
            dir.resolve("token").toString()),
        "SPOTNEST_RELAY_URL is not set");
  }

  private static void assertSetupFails(
      Path setup, java.util.Map<String, String> env, String message) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", setup.toString()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("SPOTNEST_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.exitValue() != 0 && out.contains(message), "exit " + p.exitValue() + ": " + out);
    assertTrue(
        !out.contains("apt-get") && !out.contains("Reading package lists"),
        "failed before installing anything: " + out);
  }

  private void assertBashSyntax(String script) throws Exception {
    Path f = dir.resolve("user-data.sh");
    Files.writeString(f, script);
    Process p = new ProcessBuilder("bash", "-n", f.toString()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals(
        0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
