package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotnest.testbed.GuestNetwork;
import io.spotnest.testbed.LabNames;
import io.spotnest.testbed.LabPrerequisites;
import io.spotnest.testbed.LinkShape;
import io.spotnest.testbed.Shell;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedHost;
import io.spotnest.testbed.TestbedSpec;
import io.spotnest.testbed.jenkins.AgentSecret;
import io.spotnest.testbed.jenkins.JenkinsTooling;
import io.spotnest.testbed.jenkins.NodeWatch;
import io.spotnest.testbed.jenkins.RealJenkins;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.libvirt.Connect;

/**
 * The real agent VM against a real Jenkins (the war named by SPOTNEST_JENKINS_WAR) across a live
 * migration: Jenkins runs on the lab's controller address; a permanent inbound agent is created
 * over its REST API with a crumb, its secret read from Jenkins and put on the VM's config disk; a
 * VM from the agent image ({@code ./spotnest image build}) boots on host A and connects over
 * WebSocket from its overlay address; a freestyle job tied to its label counts and writes files in
 * its workspace; mid-build the migration engine moves the VM (TLS, incremental disk copy) to host B
 * in another routed subnet. The build ends SUCCESS with every counter line in order and its files
 * intact, the controller never saw the node offline and the agent connected once.
 *
 * <p>Skipped, loudly, when SPOTNEST_JENKINS_WAR is unset: the one prerequisite CI cannot have (also
 * under CI=true).
 */
@Tag("lab")
class RealJenkinsMigrationLabTest {
  static final String WAR_VARIABLE = "SPOTNEST_JENKINS_WAR";
  private static final String VM = "sn-real-agent";
  private static final String LABEL = "spotnest-vm";
  private static final String JOB = "counter-across-a-move";
  private static final String REMOTE_FS = "/var/lib/jenkins-agent/work";

  /** The image's smallest VM (make-agent-domain.sh): /tmp and the work dir are on its root disk. */
  private static final long VM_MEMORY_MIB = 512;

  private static final int STEPS = 60;
  private static final int MOVE_AFTER_STEP = 5;
  private static final Pattern COUNTER = Pattern.compile("(?m)^COUNTER (\\d+) at=([0-9.]+)$");

  /** One line per step: a counter, a text file and a random blob with their checksums. */
  private static final String SCRIPT =
      """
      #!/bin/bash -eu
      rm -f step-*.txt blob-*.bin SHA256SUMS
      for i in $(seq 1 %d); do
        echo "COUNTER $i at=$(date +%%s.%%N | cut -c1-14)"
        echo "counter $i" > "step-$i.txt"
        head -c 65536 /dev/urandom > "blob-$i.bin"
        sha256sum "step-$i.txt" "blob-$i.bin" >> SHA256SUMS
        sleep 1
      done
      sync
      sha256sum --quiet -c SHA256SUMS
      echo "WORKSPACE-OK files=$(ls step-*.txt | wc -l) blobs=$(ls blob-*.bin | wc -l)"
      """
          .formatted(STEPS);

  private Testbed tb;
  private RealJenkins jenkins;
  private Path scratch;

  @AfterEach
  void stop() throws Exception {
    try {
      if (jenkins != null) {
        jenkins.close();
      }
    } finally {
      if (tb != null) {
        tb.close();
      }
      if (scratch != null) {
        try (Stream<Path> files = Files.walk(scratch)) {
          for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(f);
          }
        }
      }
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void a_freestyle_build_survives_the_live_migration_of_its_real_agent_vm() throws Exception {
    Path war = warOrSkip();
    LabPrerequisites.require();
    AgentImage image = AgentImage.built();
    tb =
        Testbed.start(
            new TestbedSpec(2, 1024, LinkShape.UNSHAPED, Path.of("/var/tmp/spotnest-test"))
                .withRoutedSubnets());
    LabNames names = tb.names();
    TestbedHost a = tb.host(1);
    TestbedHost b = tb.host(2);
    GuestNetwork net = tb.guestNetwork(1);
    tb.requireLabRoute(net.address());
    InetAddress controller = requireControllerOnLabLink();
    scratch = Files.createTempDirectory("spotnest-real-agent");

    // Jenkins on the controller's lab address: the guests reach it through the router
    Path jenkinsLog = Path.of("target", "real-jenkins-migration.log").toAbsolutePath();
    Files.createDirectories(jenkinsLog.getParent());
    jenkins = RealJenkins.start(war, List.of(), jenkinsLog, Duration.ofMinutes(4), controller);
    System.out.printf(
        "[real-jenkins] Jenkins on %s after %d ms%n", jenkins.base(), jenkins.startup().toMillis());
    assertEquals(
        404,
        jenkins.login().get("tcpSlaveAgentListener/").statusCode(),
        "Jenkins has an inbound TCP agent port; agents must use WebSocket");
    JenkinsTooling admin = new JenkinsTooling(jenkins.login());
    admin.createInboundAgent(VM, LABEL, REMOTE_FS);
    AgentSecret secret = admin.agentSecret(VM);

    // the config disk (URL, name, secret) at the same path on both hosts: live migration copies
    // only the writable root overlay
    Path config = scratch.resolve(VM + "-config.img");
    image.writeConfigDisk(config, jenkins.base().toString(), VM, secret);
    String configInHost = TestbedHost.imagesPathInHost() + "/" + VM + "-config.img";
    for (TestbedHost h : List.of(a, b)) {
      Files.copy(
          config,
          h.imagesDir().resolve(VM + "-config.img"),
          StandardCopyOption.COPY_ATTRIBUTES,
          StandardCopyOption.REPLACE_EXISTING);
    }
    Files.delete(config);

    HypervisorEndpoint ea = endpoint(a);
    HypervisorEndpoint eb = endpoint(b);
    String mac = String.format("52:54:00:5f:%02x:%02x", names.index(), 1);
    long booted = System.nanoTime();
    try (LibvirtHypervisor ha = LibvirtHypervisor.connect(ea)) {
      String overlay = ha.createOverlay(VM + ".qcow2", image.rootVirtualBytes(), image.rootImage());
      String xml =
          image.domainXml(
              VM,
              overlay,
              configInHost,
              "/var/log/libvirt/qemu/" + VM + "-serial.log",
              net.cidr(),
              net.gateway().orElse(null),
              VM_MEMORY_MIB,
              mac,
              scratch);
      assertFalse(xml.contains(secret.value()), "the secret is in the domain XML");
      Connect conn = new Connect(a.clientUri());
      try {
        booted = System.nanoTime();
        conn.domainDefineXML(xml).create();
      } finally {
        conn.close();
      }
    }
    awaitOnline(admin, a, Duration.ofMinutes(6));
    long bootToOnlineMs = (System.nanoTime() - booted) / 1_000_000;
    String connectedFrom = "Inbound agent connected from " + net.address();
    assertTrue(
        admin.agentLog(VM).contains(connectedFrom),
        "the agent reached Jenkins from its overlay address: " + admin.agentLog(VM));

    // the job, tied to the agent's label, created from its config.xml
    admin.createFreestyleJob(JOB, LABEL, SCRIPT);
    int build = admin.awaitBuildNumber(admin.build(JOB), Duration.ofMinutes(2));
    long buildQueued = System.nanoTime();
    assertEquals(VM, admin.build(JOB, build).path("builtOn").asText(), "the build runs on the VM");
    awaitCounter(admin, build, MOVE_AFTER_STEP, Duration.ofMinutes(3));

    // mid-build: the engine moves the VM to host B, another subnet; the controller is polled
    NodeWatch watch =
        new NodeWatch(new JenkinsTooling(jenkins.login()), VM, Duration.ofMillis(250));
    int counterBefore = lastCounter(admin.consoleText(JOB, build));
    MigrationEngine engine =
        new MigrationEngine(List.of(ea, eb), new MigrationPlanner(0.8, Duration.ofMillis(500)));
    MigrationOutcome moved =
        engine.migrate(
            new MigrationRequest(
                VM,
                "hosta",
                "hostb",
                100L << 20,
                Instant.now().plus(Duration.ofSeconds(240)),
                MigrationSettings.defaults(),
                true),
            MigrationListener.NONE);
    int counterAfter = lastCounter(admin.consoleText(JOB, build));
    assertTrue(moved.success(), moved + "\n" + diagnostics(a, b));
    try (Hypervisor ha = engine.connect("hosta");
        Hypervisor hb = engine.connect("hostb")) {
      assertEquals(VmState.RUNNING, hb.state(VM));
      assertEquals(VmState.ABSENT, ha.state(VM));
    }

    JsonNode done = admin.awaitBuildEnd(JOB, build, Duration.ofSeconds(STEPS * 3L + 120));
    long buildMs = done.path("duration").asLong();
    NodeWatch.Summary seen = watch.stop();
    String console = admin.consoleText(JOB, build);
    assertEquals("SUCCESS", done.path("result").asText(), console + "\n" + diagnostics(a, b));

    // every counter line, in order, none twice; some before the move, some after it
    List<Double> at = new ArrayList<>();
    Matcher m = COUNTER.matcher(console);
    int expected = 1;
    while (m.find()) {
      assertEquals(expected, Integer.parseInt(m.group(1)), "counter lines in order:\n" + console);
      at.add(Double.parseDouble(m.group(2)));
      expected++;
    }
    assertEquals(STEPS + 1, expected, "every counter line:\n" + console);
    assertTrue(
        counterBefore >= MOVE_AFTER_STEP && counterAfter < STEPS,
        "the move happened mid-build: counter " + counterBefore + " -> " + counterAfter);

    // the workspace: checked by the build itself, and read by the controller through the agent
    assertTrue(
        console.contains("WORKSPACE-OK files=" + STEPS + " blobs=" + STEPS),
        "workspace:\n" + console);
    assertEquals("counter 1\n", admin.workspaceFile(JOB, "step-1.txt"));
    assertEquals(
        "counter " + counterAfter + "\n",
        admin.workspaceFile(JOB, "step-" + counterAfter + ".txt"));
    assertEquals("counter " + STEPS + "\n", admin.workspaceFile(JOB, "step-" + STEPS + ".txt"));
    assertEquals(
        2L * STEPS,
        admin.workspaceFile(JOB, "SHA256SUMS").lines().count(),
        "one checksum per file written");

    // the controller never saw the node offline, and the agent connected once
    assertTrue(seen.samples() > 10, "the node was polled during the move: " + seen);
    assertTrue(seen.offline().isEmpty() && seen.errors().isEmpty(), "node state: " + seen);
    String agentLog = admin.agentLog(VM);
    assertEquals(
        1, count(agentLog, connectedFrom), "connections in Jenkins' agent log:\n" + agentLog);
    assertEquals(
        1,
        count(agentLog, "Agent successfully connected and online"),
        "Jenkins' agent log:\n" + agentLog);
    String consoles = serial(a) + serial(b);
    assertEquals(1, count(consoles, "INFO: Connected"), "the agent's log:\n" + consoles);
    assertEquals(1, count(consoles, "AGENT-START "), "the agent started once:\n" + consoles);
    assertFalse(consoles.contains("AGENT-EXITED"), consoles);

    // the secret is nowhere in the logs
    for (String log : List.of(consoles, jenkins.log(), agentLog, console)) {
      assertFalse(log.contains(secret.value()), "the agent secret appears in a log");
    }

    System.out.printf(
        "[real-jenkins] boot to online %.1f s; %s; build #%d %s in %.1f s (counter %d -> %d during"
            + " the move, longest step gap %.2f s); node: %s%n",
        bootToOnlineMs / 1000.0,
        moved,
        build,
        done.path("result").asText(),
        buildMs / 1000.0,
        counterBefore,
        counterAfter,
        longestGap(at),
        seen);
    System.out.printf(
        "[real-jenkins] queued-to-end %.1f s%n", (System.nanoTime() - buildQueued) / 1e9);
    try (Hypervisor hb = engine.connect("hostb")) {
      hb.remove(VM);
    }
  }

  /** The war, or a loud skip (the one skip allowed, also under CI=true). */
  private static Path warOrSkip() {
    String war = System.getenv(WAR_VARIABLE);
    if (war == null || war.isBlank()) {
      String why =
          "SKIPPED RealJenkinsMigrationLabTest: "
              + WAR_VARIABLE
              + " is not set, so the real agent VM was NOT tried against a real Jenkins across a"
              + " live migration. Set it to a jenkins.war (2.541.3) to run this test.";
      System.err.println("*".repeat(100) + "\n" + why + "\n" + "*".repeat(100));
      assumeTrue(false, why);
    }
    Path file = Path.of(war);
    assertTrue(Files.isRegularFile(file), WAR_VARIABLE + "=" + war + " is not a file");
    return file;
  }

  /**
   * The controller's lab address, after checking it is this machine's own address on the lab's
   * management link: Jenkins listens there and nowhere else, and the test connects to nothing
   * outside the lab.
   */
  private InetAddress requireControllerOnLabLink() throws IOException {
    String address = tb.controllerAddress();
    Shell shell = tb.shell();
    String onLink =
        shell.run("ip", "-4", "-o", "addr", "show", "dev", tb.names().managementDevice()).stdout();
    assertTrue(onLink.contains(" " + address + "/"), "not on the lab link: " + onLink);
    String route = shell.run("ip", "-4", "route", "get", address).stdout();
    assertTrue(route.startsWith("local " + address + " "), "not a local address: " + route);
    return InetAddress.getByName(address);
  }

  /** Waits until Jenkins shows the agent online; fails at once when the VM reports an error. */
  private void awaitOnline(JenkinsTooling admin, TestbedHost host, Duration within)
      throws Exception {
    long until = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < until) {
      if (!admin.computer(VM).path("offline").asBoolean(true)) {
        return;
      }
      String console = serial(host);
      for (String error :
          List.of("SN-AGENT-NOT-STARTED", "SN-INITRAMFS-ERROR", "AGENT-EXITED", "Kernel panic")) {
        assertFalse(
            console.contains(error),
            "the VM reported " + error + ":\n" + tail(console) + "\n" + vmDiagnostics(host));
      }
      Thread.sleep(1000);
    }
    throw new AssertionError(
        "the agent was not online within " + within + "; console:\n" + tail(serial(host)));
  }

  private static void awaitCounter(JenkinsTooling admin, int build, int n, Duration within)
      throws Exception {
    long until = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < until) {
      String console = admin.consoleText(JOB, build);
      if (lastCounter(console) >= n) {
        return;
      }
      assertTrue(admin.build(JOB, build).path("building").asBoolean(), "build ended:\n" + console);
      Thread.sleep(500);
    }
    throw new AssertionError("the build did not reach counter " + n + " within " + within);
  }

  private static int lastCounter(String console) {
    Matcher m = COUNTER.matcher(console);
    int last = 0;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last;
  }

  private static double longestGap(List<Double> at) {
    double max = 0;
    for (int i = 1; i < at.size(); i++) {
      max = Math.max(max, at.get(i) - at.get(i - 1));
    }
    return max;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  private static String serial(TestbedHost h) throws IOException {
    Path log = h.serialLog(VM);
    return Files.exists(log) ? Files.readString(log).replace("\r", "") : "";
  }

  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** QEMU's command line and log on the host, and the root overlay's backing chain. */
  private String vmDiagnostics(TestbedHost h) {
    Shell shell = tb.shell();
    Path qemuLog = h.dir().resolve("log/qemu/" + VM + ".log");
    return "--- "
        + qemuLog
        + "\n"
        + shell.exec(List.of("tail", "-c", "6000", qemuLog.toString())).stdout()
        + "\n--- backing chain\n"
        + shell
            .exec(
                List.of(
                    "qemu-img",
                    "info",
                    "-U",
                    "--backing-chain",
                    h.imagesDir().resolve(VM + ".qcow2").toString()))
            .stdout();
  }

  private String diagnostics(TestbedHost a, TestbedHost b) throws IOException {
    return "--- console on host A\n"
        + tail(serial(a))
        + "\n--- console on host B\n"
        + tail(serial(b));
  }

  private static HypervisorEndpoint endpoint(TestbedHost h) {
    return new HypervisorEndpoint(h.name(), h.clientUri(), h.peerUri(), h.memoryMib());
  }
}
