package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a lab daemon can be reached by, and what it starts from: TLS with the lab's own CA, and a
 * clean config.
 */
@Tag("lab")
class LabIsolationLabTest extends LabTestCase {

  LabIsolationLabTest() {
    super(new Shell(Duration.ofSeconds(180)));
  }

  @Test
  void daemons_answer_only_tls_with_a_lab_client_certificate_or_their_unix_socket()
      throws Exception {
    try (Testbed tb = Testbed.start(new TestbedSpec(2, 512, LinkShape.UNSHAPED, work))) {
      TestbedHost a = tb.host(1);
      TestbedHost b = tb.host(2);
      tb.requireLabRoute(a.address());
      assertTrue(
          a.clientUri().startsWith("qemu+tls://" + a.address() + "/system?pkipath=/"),
          a.clientUri());
      assertTrue(b.peerUri().startsWith("qemu+tls://" + b.address() + "/system"), b.peerUri());
      assertEquals("hosta", virsh(a.clientUri(), "hostname"));
      assertEquals(
          "hosta",
          virsh("qemu+unix:///system?socket=" + a.dir().resolve("run/libvirt-sock"), "hostname"));

      Shell.Result plain =
          shell.exec(List.of("virsh", "-q", "-c", "qemu+tcp://" + a.address() + "/system", "uri"));
      assertFalse(plain.ok(), "plain TCP answered: " + plain.stdout());
      assertEquals(
          Set.of(a.address() + ":16514"),
          listeningTcp(a),
          "the only TCP listener is libvirtd's TLS port");

      // TLS without a client certificate of the lab's CA is refused
      Path pki =
          Path.of(a.clientUri().substring(a.clientUri().indexOf("pkipath=") + "pkipath=".length()));
      Path caOnly = Files.createDirectories(work.resolve("ca-only"));
      Files.copy(pki.resolve("cacert.pem"), caOnly.resolve("cacert.pem"));
      Shell.Result noCert =
          shell.exec(
              List.of(
                  "virsh",
                  "-q",
                  "-c",
                  "qemu+tls://" + a.address() + "/system?pkipath=" + caOnly,
                  "uri"));
      assertFalse(noCert.ok(), "TLS without a client certificate answered: " + noCert.stdout());
      // keys and the daemon's sockets are owner-only (root)
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(
              Files.getPosixFilePermissions(pki.resolve("clientkey.pem"))));
      for (String sock : List.of("libvirt-sock", "libvirt-sock-ro")) {
        assertEquals(
            "rwx------",
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(a.dir().resolve("run").resolve(sock))),
            sock);
      }

      // peer-to-peer: host A's daemon, in its own namespaces, reaches B with its own client
      // certificate
      String pid = Files.readString(a.pidFile()).strip();
      assertEquals(
          b.peerUri(),
          shell
              .run("nsenter", "-t", pid, "-n", "-m", "virsh", "-q", "-c", b.peerUri(), "uri")
              .stdout()
              .strip());
    }
  }

  @Test
  void a_vm_migrates_between_lab_hosts_with_tls_migration_streams() throws Exception {
    try (Testbed tb = Testbed.start(new TestbedSpec(2, 512, LinkShape.UNSHAPED, work))) {
      TestbedHost a = tb.host(1);
      TestbedHost b = tb.host(2);
      // a disk of its own, so the storage copy (NBD) goes through TLS too
      for (TestbedHost h : List.of(a, b)) {
        Files.createDirectories(h.imagesDir());
        shell.run(
            "qemu-img",
            "create",
            "-q",
            "-f",
            "qcow2",
            h.imagesDir().resolve("sntls.qcow2").toString(),
            "16M");
      }
      String disk =
          "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='"
              + TestbedHost.imagesPathInHost()
              + "/sntls.qcow2'/><target dev='vda' bus='virtio'/></disk>";
      Path xml = work.resolve("sntls.xml");
      Files.writeString(
          xml, disklessDomain("sntls", null).replace("<memballoon", disk + "<memballoon"));
      virsh(a.clientUri(), "define", xml.toString());
      virsh(a.clientUri(), "start", "sntls");

      virsh(
          a.clientUri(),
          "migrate",
          "--live",
          "--p2p",
          "--tls",
          "--copy-storage-inc",
          "--persistent",
          "--undefinesource",
          "sntls",
          b.peerUri());

      assertEquals("running", virsh(b.clientUri(), "domstate", "sntls"));
      assertFalse(
          virsh(a.clientUri(), "list", "--all", "--name").lines().anyMatch("sntls"::equals));
      virsh(b.clientUri(), "destroy", "sntls");
    }
  }

  @Test
  void lab_daemons_do_not_see_the_machines_libvirt_config() throws Exception {
    // a stand-in for the machine's /etc/libvirt, bind-mounted over it in a mount namespace of the
    // child only
    Path etc = work.resolve("machine-etc-libvirt");
    Files.createDirectories(etc.resolve("qemu/autostart"));
    Files.createDirectories(etc.resolve("hooks"));
    Files.writeString(
        etc.resolve("qemu/snmarker.xml"),
        disklessDomain("snmarker", "/nonexistent/snmarker-kernel"));
    Files.createSymbolicLink(
        etc.resolve("qemu/autostart/snmarker.xml"), Path.of("/etc/libvirt/qemu/snmarker.xml"));
    Path hookRan = work.resolve("hook-ran");
    Path hook = etc.resolve("hooks/daemon");
    Files.writeString(hook, "#!/bin/sh\necho \"$@\" >> " + hookRan + "\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));

    List<String> cmd =
        new ArrayList<>(
            List.of(
                "unshare",
                "-m",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount --bind \"$0\" /etc/libvirt && exec \"$@\"",
                etc.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dspotnest.root=" + RepoRoot.find(),
                ListDomains.class.getName(),
                work.resolve("labs").toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(240, TimeUnit.SECONDS) && p.exitValue() == 0, out);

    assertTrue(out.contains("SEES-MARKER true"), "the child must see the stand-in config: " + out);
    String domains = out.lines().filter(l -> l.startsWith("DOMAINS")).findFirst().orElseThrow();
    assertFalse(
        domains.contains("snmarker"), "the lab daemon loaded the machine's domain: " + domains);
    assertFalse(Files.exists(hookRan), "the lab daemon ran the machine's hook");
  }

  /**
   * Starts a one-host lab (seeing whatever /etc/libvirt its mount namespace has), lists its
   * domains, removes it.
   */
  public static final class ListDomains {
    public static void main(String[] args) {
      System.out.println("SEES-MARKER " + Files.exists(Path.of("/etc/libvirt/qemu/snmarker.xml")));
      try (Testbed tb =
          Testbed.start(new TestbedSpec(1, 256, LinkShape.UNSHAPED, Path.of(args[0])))) {
        String names =
            new Shell()
                .run("virsh", "-q", "-c", tb.host(1).clientUri(), "list", "--all", "--name")
                .stdout();
        System.out.println("DOMAINS " + String.join(",", names.strip().lines().toList()));
      }
      System.exit(0);
    }
  }

  private String virsh(String uri, String... args) {
    List<String> cmd = new ArrayList<>(List.of("virsh", "-q", "-c", uri));
    cmd.addAll(List.of(args));
    return shell.run(cmd.toArray(String[]::new)).stdout().strip();
  }

  /** Local addresses of the TCP listeners in a host's network namespace. */
  private Set<String> listeningTcp(TestbedHost h) {
    Set<String> out = new TreeSet<>();
    for (String line : shell.runIn(h.namespace(), "ss", "-ltnH").stdout().split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4) {
        out.add(f[3]);
      }
    }
    return out;
  }

  /**
   * A TCG domain with no disk and no network: it boots into the firmware and idles, enough to
   * migrate.
   */
  private static String disklessDomain(String name, String kernel) {
    return "<domain type='qemu'><name>"
        + name
        + "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
        + "<os><type arch='x86_64' machine='pc'>hvm</type>"
        + (kernel == null ? "" : "<kernel>" + kernel + "</kernel>")
        + "</os><features><acpi/></features><clock offset='utc'/><devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
        + "<memballoon model='none'/></devices></domain>";
  }
}
