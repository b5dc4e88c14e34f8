package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.ec2.ScriptSandbox.Run;
import io.spotnest.hosts.events.EventIntake;
import io.spotnest.hosts.events.IntakeObserver;
import io.spotnest.hosts.events.SeenEvents;
import io.spotnest.pki.ClusterCa;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code setup-host.sh} (with real openssl and curl) against a real relay that signs
 * host certificates with a real {@link ClusterCa}, a fake IMDS, and stand-ins for the commands that
 * would change this machine (apt-get, systemctl, ip, bridge), with every file path under a
 * temporary sysroot.
 */
class HostSetupScriptTest {
  private static final String INSTANCE = "i-0123456789abcdef0";
  private static final String TOKEN = "relay-token-for-tests-0001";
  private static final String HOST_IP = "127.0.0.1"; // the relay sees the request come from it

  @TempDir Path dir;
  private ScriptSandbox box;
  private Path sysroot;
  private ImdsFake imds;
  private ImdsRelayServer relay;
  private ClusterCa ca;
  private final AtomicBoolean launchedHere = new AtomicBoolean(true);

  @BeforeEach
  void start() throws Exception {
    ca = ClusterCa.create("ci", Clock.systemUTC(), Duration.ofDays(30));
    imds = new ImdsFake(INSTANCE);
    imds.localIpv4(HOST_IP);
    imds.identity(TestIdentityCa.aws().signedIdentity(INSTANCE, HOST_IP, "us-east-1"));
    EventIntake intake =
        new EventIntake(
            e -> {},
            INSTANCE::equals,
            SeenEvents.standard(Clock.systemUTC()),
            IntakeObserver.logging());
    relay =
        new ImdsRelayServer(
            new InetSocketAddress("127.0.0.1", 0),
            new RelayToken(TOKEN),
            TestIdentityCa.awsVerifier("us-east-1"),
            intake,
            Optional.of(
                new HostCertificateEndpoint(
                    ca,
                    TestIdentityCa.awsVerifier("us-east-1"),
                    id -> launchedHere.get() && id.equals(INSTANCE),
                    Duration.ofDays(7).plusHours(1))));
    box =
        new ScriptSandbox(
            dir,
            List.of(
                "setup-host.sh",
                "bake-host.sh",
                "spotnest-overlay-peers.sh",
                "spotnest-overlay.sh",
                "spotnest-overlay-up.sh",
                "spotnest-imds-watcher.sh"),
            List.of("apt-get", "systemctl", "ip", "bridge"));
    Files.writeString(dir.resolve("relay-token"), TOKEN + "\n");
    ca.writeCertificate(dir.resolve("cluster-ca.pem"));
    sysroot = box.sysroot;
    box.write("sys/module/kvm_intel/parameters/nested", "N\n");
    box.write("dev/kvm", "");
    box.write("sys/class/net/eth0/mtu", "9001\n");
    box.write(
        "etc/libvirt/libvirtd.conf",
        "#listen_tls = 0\n#listen_tcp = 1\nunix_sock_group = \"libvirt\"\n");
    box.write("etc/libvirt/qemu.conf", "#migrate_tls_force = 0\n");
    Files.createDirectories(sysroot.resolve("etc/systemd/system"));
    Files.createDirectories(sysroot.resolve("usr/local/sbin"));
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
    imds.close();
  }

  private Run setup(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("SPOTNEST_CLUSTER", "ci");
    env.put("SPOTNEST_LIBVIRT_ACCESS", "tls");
    env.put("SPOTNEST_RELAY_URL", "http://127.0.0.1:" + relay.address().getPort());
    env.put("SPOTNEST_RELAY_TOKEN_FILE", dir.resolve("relay-token").toString());
    env.put("SPOTNEST_CA_CERT_FILE", dir.resolve("cluster-ca.pem").toString());
    env.put("SPOTNEST_IMDS_URL", imds.endpoint().toString());
    env.put("SPOTNEST_OVERLAY_VNI", "4321");
    env.put("SPOTNEST_OVERLAY_PEERS", "10.0.2.5,10.0.3.5");
    env.put("SPOTNEST_ENROLL_TRIES", "2");
    env.putAll(extra);
    return box.run(box.scripts.resolve("setup-host.sh"), env, 120);
  }

  private List<String> calls(String prefix) throws Exception {
    return box.calls().stream().filter(l -> l.startsWith(prefix)).toList();
  }

  private X509Certificate certificate(Path file) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
  }

  @Test
  void firstRunInstallsEnrollsAndBuildsTheOverlaySecondRunChangesNothing() throws Exception {
    Run first = setup(Map.of());
    assertEquals(0, first.exit(), first.log());
    assertTrue(first.log().contains("host ready for cluster ci"), first.log());
    assertEquals(1, calls("apt-get install").size(), "installed once (image not baked)");

    Path pki = sysroot.resolve("etc/pki");
    Path certFile = pki.resolve("libvirt/servercert.pem");
    Path keyFile = pki.resolve("libvirt/private/serverkey.pem");
    X509Certificate cert = certificate(certFile);
    cert.verify(ca.certificate().getPublicKey());
    assertEquals(
        Set.of(List.of(7, HOST_IP), List.of(2, "ip-127-0-0-1.ec2.internal")),
        Set.copyOf(cert.getSubjectAlternativeNames()),
        "SANs: the host's private IP and EC2 name, as its signed identity says");
    assertTrue(cert.getSubjectX500Principal().getName().contains("CN=" + INSTANCE));
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    String key = Files.readString(keyFile);
    assertTrue(key.contains("PRIVATE KEY"));
    assertFalse(first.log().contains("PRIVATE KEY"), "no key in the log");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        boolean holdsKey = Files.readString(f, StandardCharsets.ISO_8859_1).contains("PRIVATE KEY");
        boolean keyPlace =
            f.startsWith(pki.resolve("libvirt/private")) || f.startsWith(pki.resolve("qemu"));
        assertTrue(!holdsKey || keyPlace, "a private key outside the key files: " + f);
      }
    }
    assertArrayEquals(
        Files.readAllBytes(certFile), Files.readAllBytes(pki.resolve("qemu/client-cert.pem")));
    assertArrayEquals(
        Files.readAllBytes(keyFile),
        Files.readAllBytes(pki.resolve("libvirt/private/clientkey.pem")));
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("cluster-ca.pem")),
        Files.readAllBytes(pki.resolve("CA/cacert.pem")));
    String conf = Files.readString(sysroot.resolve("etc/libvirt/libvirtd.conf"));
    assertTrue(conf.contains("listen_tls = 1\n") && conf.contains("listen_tcp = 0\n"), conf);
    assertFalse(conf.contains("#listen_tls"), conf);
    String qconf = Files.readString(sysroot.resolve("etc/libvirt/qemu.conf"));
    assertTrue(
        qconf.contains("migrate_tls_force = 1\n")
            && qconf.contains("migration_host = \"127.0.0.1\""),
        qconf);
    assertTrue(
        calls("systemctl enable --now").stream().anyMatch(l -> l.contains("libvirtd-tls.socket")));

    assertTrue(
        calls("ip link add vxlan0")
            .equals(
                List.of(
                    "ip link add vxlan0 mtu 8951 type vxlan id 4321 local 127.0.0.1 dstport 4789")),
        "VXLAN on the private IP, MTU 9001 - 50: " + calls("ip"));
    assertEquals(List.of("ip link add br0 mtu 8951 type bridge"), calls("ip link add br0"));
    assertEquals(
        List.of(
            "bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst 10.0.2.5",
            "bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst 10.0.3.5"),
        calls("bridge fdb"));

    int callsAfterFirst = box.calls().size();
    byte[] certBefore = Files.readAllBytes(certFile);
    Run second = setup(Map.of());
    assertEquals(0, second.exit(), second.log());
    assertTrue(second.log().contains("packages present, nothing to install"), second.log());
    assertTrue(second.log().contains("host certificate valid for 127.0.0.1, kept"), second.log());
    assertEquals(1, calls("apt-get").stream().filter(l -> l.contains("install")).count());
    assertArrayEquals(certBefore, Files.readAllBytes(certFile), "no new certificate");
    assertEquals(key, Files.readString(keyFile), "same key");
    List<String> secondCalls = box.calls().subList(callsAfterFirst, box.calls().size());
    assertTrue(
        secondCalls.stream()
            .noneMatch(
                l ->
                    l.startsWith("apt-get")
                        || l.contains("libvirtd")
                        || l.startsWith("ip link add")
                        || l.startsWith("bridge fdb")),
        "the second run installs, restarts and adds nothing: " + secondCalls);
  }

  @Test
  void setupInstallsTheOverlayBootUnitWithRootOnlySettingsEnablesItAndASecondRunChangesNothing()
      throws Exception {
    Run first = setup(Map.of());
    assertEquals(0, first.exit(), first.log());

    Path settings = sysroot.resolve("etc/spotnest/overlay.env");
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(settings)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(settings.getParent())));
    assertEquals(
        List.of(
            "SPOTNEST_OVERLAY_BRIDGE=br0",
            "SPOTNEST_OVERLAY_VNI=4321",
            "SPOTNEST_OVERLAY_LOCAL_IP=127.0.0.1",
            "SPOTNEST_OVERLAY_MTU=8951"),
        Files.readAllLines(settings).stream().filter(l -> !l.startsWith("#")).toList(),
        "the settings the first run used: the overlay's own, no secret");
    assertFalse(Files.readString(settings).contains(TOKEN));

    Path unit = sysroot.resolve("etc/systemd/system/spotnest-overlay.service");
    List<String> lines = Files.readAllLines(unit);
    assertTrue(
        lines.contains("Type=oneshot") && lines.contains("RemainAfterExit=yes"), lines.toString());
    assertTrue(lines.contains("WantedBy=multi-user.target"), lines.toString());
    String before =
        lines.stream().filter(l -> l.startsWith("Before=")).findFirst().orElse("no Before=");
    assertTrue(
        before.contains("libvirtd.service") && before.contains("spotnest-imds-watcher.service"),
        "up before libvirt and the watcher: " + before);
    String exec =
        lines.stream()
            .filter(l -> l.startsWith("ExecStart="))
            .findFirst()
            .orElseThrow()
            .substring("ExecStart=".length());
    assertEquals("/usr/local/sbin/spotnest-overlay-up", exec);
    assertTrue(Files.isExecutable(sysroot.resolve(exec.substring(1))), "installed: " + exec);
    assertArrayEquals(
        Files.readAllBytes(box.scripts.resolve("spotnest-overlay.sh")),
        Files.readAllBytes(sysroot.resolve("usr/local/lib/spotnest/spotnest-overlay.sh")),
        "the boot script uses the same overlay functions as the setup");

    List<String> all = box.calls();
    int reload = all.indexOf("systemctl daemon-reload");
    int enable = all.indexOf("systemctl enable --now spotnest-overlay.service");
    assertTrue(reload >= 0 && enable > reload, "reloaded, then enabled: " + all);
    assertEquals(
        List.of("spotnest-imds-watcher.service", "spotnest-overlay.service"),
        Files.readAllLines(box.state.resolve("enabled")).stream()
            .filter(u -> u.startsWith("spotnest"))
            .sorted()
            .toList());

    Map<Path, Long> modified = new HashMap<>();
    Map<Path, byte[]> content = new HashMap<>();
    for (Path f :
        List.of(
            settings,
            unit,
            sysroot.resolve("usr/local/sbin/spotnest-overlay-up"),
            sysroot.resolve("usr/local/lib/spotnest/spotnest-overlay.sh"))) {
      modified.put(f, Files.getLastModifiedTime(f).toMillis());
      content.put(f, Files.readAllBytes(f));
    }
    Thread.sleep(20); // a rewrite would show in the modification time
    Run second = setup(Map.of());
    assertEquals(0, second.exit(), second.log());
    for (Path f : modified.keySet()) {
      assertArrayEquals(content.get(f), Files.readAllBytes(f), f.toString());
      assertEquals(modified.get(f), Files.getLastModifiedTime(f).toMillis(), "not rewritten: " + f);
    }
    assertEquals(
        List.of(),
        box.calls().subList(all.size(), box.calls().size()).stream()
            .filter(l -> l.contains("spotnest-overlay"))
            .toList(),
        "the unit is enabled once");
  }

  @Test
  void aRebootRecreatesTheBridgeAndVxlanFromTheSavedSettingsAlone() throws Exception {
    Run first = setup(Map.of());
    assertEquals(0, first.exit(), first.log());
    List<String> created = calls("ip link");
    assertEquals(
        List.of(
            "ip link add br0 mtu 8951 type bridge",
            "ip link add vxlan0 mtu 8951 type vxlan id 4321 local 127.0.0.1 dstport 4789",
            "ip link set vxlan0 master br0 mtu 8951 up",
            "ip link set br0 mtu 8951 up"),
        created);

    // the reboot: runtime devices and their FDB are gone, files stay
    box.forget(List.of("link-br0", "link-vxlan0", "fdb"));
    box.clearCalls();
    Run boot = box.bootScript();
    assertEquals(0, boot.exit(), boot.log());
    assertEquals(created, calls("ip link"), "the same devices: VNI, local address, MTU, port");
    assertEquals(List.of(), calls("bridge"), "the flood list is the watcher's (its first poll)");
    assertFalse(boot.log().contains(TOKEN));

    box.clearCalls();
    Run again = box.bootScript();
    assertEquals(0, again.exit(), again.log());
    assertEquals(List.of(), calls("ip link add"), "idempotent: " + calls(""));
  }

  @Test
  void aDamagedSettingsFileStopsTheBootScriptNamingItBeforeAnyChange() throws Exception {
    assertEquals(0, setup(Map.of()).exit());
    Path settings = sysroot.resolve("etc/spotnest/overlay.env");
    String good = Files.readString(settings);
    for (Map.Entry<String, String> c :
        Map.of(
                "SPOTNEST_OVERLAY_VNI=4321", "SPOTNEST_OVERLAY_VNI must be 1..16777215",
                "SPOTNEST_OVERLAY_MTU=8951", "SPOTNEST_OVERLAY_MTU must be",
                "SPOTNEST_OVERLAY_LOCAL_IP=127.0.0.1", "SPOTNEST_OVERLAY_LOCAL_IP must be")
            .entrySet()) {
      // a value the shell would run if the file were sourced: it must only be read
      Files.writeString(
          settings,
          good.replace(
              c.getKey(), c.getKey().split("=")[0] + "=$(touch " + dir.resolve("evaluated") + ")"));
      box.forget(List.of("link-br0", "link-vxlan0"));
      box.clearCalls();
      Run boot = box.bootScript();
      assertEquals(2, boot.exit(), boot.log());
      assertTrue(
          boot.log().contains(settings.toString()) && boot.log().contains(c.getValue()),
          boot.log());
      assertEquals(List.of(), calls(""), "nothing changed");
      assertFalse(Files.exists(dir.resolve("evaluated")), "the settings file was run");
    }
    Files.writeString(settings, good + "SPOTNEST_OVERLAY_COLOUR=blue\n");
    Run unknown = box.bootScript();
    assertEquals(2, unknown.exit(), unknown.log());
    assertTrue(unknown.log().contains("SPOTNEST_OVERLAY_COLOUR"), unknown.log());
    Files.delete(settings);
    Run missing = box.bootScript();
    assertEquals(2, missing.exit(), missing.log());
    assertTrue(missing.log().contains(settings.toString()), missing.log());
  }

  @Test
  void aCertificateForAnotherAddressIsReplacedKeepingTheKey() throws Exception {
    assertEquals(0, setup(Map.of()).exit());
    Path keyFile = sysroot.resolve("etc/pki/libvirt/private/serverkey.pem");
    String key = Files.readString(keyFile);
    // a certificate of the same CA for the same key, naming another address (e.g. an AMI made from
    // a host)
    Files.writeString(
        sysroot.resolve("etc/pki/libvirt/servercert.pem"),
        ClusterCa.pem(ca.signHost(csrOf(keyFile), "old", List.of("10.9.9.9"), Duration.ofDays(7))));
    Run again = setup(Map.of());
    assertEquals(0, again.exit(), again.log());
    assertTrue(again.log().contains("host certificate installed"), again.log());
    X509Certificate cert = certificate(sysroot.resolve("etc/pki/libvirt/servercert.pem"));
    assertTrue(Set.copyOf(cert.getSubjectAlternativeNames()).contains(List.of(7, HOST_IP)));
    assertEquals(key, Files.readString(keyFile));
  }

  private String csrOf(Path key) throws Exception {
    Process p =
        new ProcessBuilder("openssl", "req", "-new", "-key", key.toString(), "-subj", "/CN=old")
            .start();
    String csr = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    return csr;
  }

  @Test
  void aHostTheClusterDidNotLaunchGetsNoCertificate() throws Exception {
    launchedHere.set(false);
    Run run = setup(Map.of());
    assertNotEquals(0, run.exit());
    assertTrue(
        run.log().contains("the controller did not issue a host certificate (HTTP 403"), run.log());
    assertFalse(Files.exists(sysroot.resolve("etc/pki/libvirt/servercert.pem")));
  }

  @Test
  void withoutNestedVirtualizationItStopsBeforeInstallingAnything() throws Exception {
    Files.delete(sysroot.resolve("sys/module/kvm_intel/parameters/nested"));
    Files.delete(sysroot.resolve("sys/module/kvm_intel/parameters"));
    Files.delete(sysroot.resolve("sys/module/kvm_intel"));
    Run run = setup(Map.of());
    assertEquals(1, run.exit(), run.log());
    assertTrue(run.log().contains("nested virtualization is not available"), run.log());
    assertTrue(run.log().contains("SPOTNEST_VIRT=qemu"), run.log());
    assertEquals(List.of(), calls("apt-get"));
    Map<String, String> emulated = new HashMap<>();
    emulated.put("SPOTNEST_VIRT", "qemu");
    Run tcg = setup(emulated);
    assertEquals(0, tcg.exit(), tcg.log());
    assertTrue(tcg.log().contains("agent VMs run emulated"), tcg.log());
  }

  @Test
  void badOverlaySettingsAreRefusedNamingTheSetting() throws Exception {
    Run vni = setup(Map.of("SPOTNEST_OVERLAY_VNI", "16777216"));
    assertEquals(1, vni.exit());
    assertTrue(
        vni.log().contains("SPOTNEST_OVERLAY_VNI must be 1..16777215, got '16777216'"), vni.log());
    Run peers = setup(Map.of("SPOTNEST_OVERLAY_PEERS", "10.0.2.5,;reboot"));
    assertEquals(1, peers.exit());
    assertTrue(
        peers.log().contains("SPOTNEST_OVERLAY_PEERS must be comma-separated IPv4"), peers.log());
    assertEquals(List.of(), calls("apt-get"));
  }
}
