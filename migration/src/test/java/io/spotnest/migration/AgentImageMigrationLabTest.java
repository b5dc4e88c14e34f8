package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.testbed.GuestNetwork;
import io.spotnest.testbed.LabNames;
import io.spotnest.testbed.LabPrerequisites;
import io.spotnest.testbed.LinkShape;
import io.spotnest.testbed.Shell;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedHost;
import io.spotnest.testbed.TestbedSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real agent image in CI, where no Jenkins is: the CI-side counterpart of {@link
 * RealJenkinsMigrationLabTest}. A VM from the agent image ({@code ./spotnest image build}) is
 * started on host A the way the orchestrator starts one (its config disk in A's pool), in the
 * testbed's routed topology; its boot service reads the config disk, fetches agent.jar from the
 * image's controller-side test server (on the lab's controller address) and connects over WebSocket
 * from its overlay address. The migration engine then moves it live to host B, in another subnet.
 * The test server sees exactly one connection, which answers its pings before, across and after the
 * move; the guest answers at the same address from B; nothing of it is left on A.
 */
@Tag("lab")
class AgentImageMigrationLabTest {
  private static final String VM = "sn-image-agent";

  /** The image's smallest VM (make-agent-domain.sh): the JVM and the agent. */
  private static final long VM_MEMORY_MIB = 512;

  private static final long PING_MS = 100;

  private Testbed tb;
  private AgentTestServer server;
  private Path scratch;
  private final Shell shell = new Shell();

  @AfterEach
  void stop() throws Exception {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      try {
        if (tb != null) {
          tb.close();
        }
      } finally {
        AgentTestServer.delete(scratch);
      }
    }
  }

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void the_agent_image_connects_over_the_overlay_and_keeps_its_connection_across_a_move()
      throws Exception {
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
    scratch = Files.createTempDirectory("sn-image-agent");

    // the test server on the controller's lab address (it refuses any address not on a lab link)
    byte[] random = new byte[32];
    ThreadLocalRandom.current().nextBytes(random);
    String secret = HexFormat.of().formatHex(random);
    server =
        AgentTestServer.start(
            scratch, tb.controllerAddress(), VM, secret, PING_MS, Duration.ofMinutes(11));
    assertEquals(
        1,
        server.events("LISTENING").stream()
            .filter(e -> e.text().startsWith("addr=" + tb.controllerAddress() + ":"))
            .count(),
        "the server listens on the controller's lab address: " + server.events());

    // the VM as the orchestrator starts one: the image's kernel and root, its config disk in A's
    // pool
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "agent.env",
        ("SN_CONTROLLER_URL=" + server.url() + "\nSN_AGENT_NAME=" + VM + "\n")
            .getBytes(StandardCharsets.US_ASCII));
    files.put("agent-secret", (secret + "\n").getBytes(StandardCharsets.US_ASCII));
    String mac = String.format("52:54:00:5d:%02x:%02x", names.index(), 1);
    AgentVmSpec vm =
        new AgentVmSpec(
            VM,
            VM_MEMORY_MIB,
            1,
            image.dir().resolve("vmlinuz").toString(),
            image.dir().resolve("initramfs.cpio.gz").toString(),
            "console=ttyS0 quiet panic=-1 sn.ip="
                + net.cidr()
                + " sn.gw="
                + net.gateway().orElseThrow()
                + " sn.vm="
                + VM
                + " sn.root=/dev/vda sn.config=/dev/vdb",
            image.rootImage(),
            image.rootVirtualBytes() >> 20,
            mac,
            "br0",
            AgentVmSpec.DEFAULT_MTU,
            false);
    HypervisorEndpoint ea = endpoint(a);
    HypervisorEndpoint eb = endpoint(b);
    long startedMs = System.currentTimeMillis();
    try (LibvirtHypervisor ha = LibvirtHypervisor.connect(ea)) {
      ha.start(vm, new ConfigDisk(files));
    }

    AgentTestServer.Event connected = awaitConnected(a, Duration.ofMinutes(6));
    long bootToConnectedMs = connected.atMs() - startedMs;
    assertEquals(Optional.of("1"), connected.field("conn"), connected.toString());
    assertEquals(
        Optional.of(net.address()),
        connected.field("from"),
        "the agent connects from its overlay address");
    assertEquals(Optional.of(VM), connected.field("name"));
    assertEquals(Optional.of("jenkins"), connected.field("user"));
    assertEquals(1, server.events("JAR-SERVED").size(), "agent.jar fetched from the controller");
    awaitPong(1, 3, Duration.ofSeconds(60));

    // the move: to host B, another routed subnet
    MigrationEngine engine =
        new MigrationEngine(List.of(ea, eb), new MigrationPlanner(0.8, Duration.ofMillis(500)));
    long moveFromMs = System.currentTimeMillis();
    MigrationOutcome moved =
        engine.migrate(
            new MigrationRequest(
                VM,
                "hosta",
                "hostb",
                100L << 20,
                Instant.now().plus(Duration.ofSeconds(150)),
                MigrationSettings.defaults(),
                true),
            MigrationListener.NONE);
    long moveToMs = System.currentTimeMillis();
    assertTrue(moved.success(), moved + "\n" + consoles(a, b));
    assertEquals(Optional.of("hostb"), moved.runningOn());

    // the same connection answers pings after the move
    long lastPongBefore = lastPongSeq();
    AgentTestServer.Event after =
        server
            .await(
                e ->
                    e.kind().equals("PONG")
                        && e.atMs() > moveToMs
                        && Long.parseLong(e.field("seq").orElse("0")) >= lastPongBefore + 10,
                Duration.ofSeconds(60))
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no pings answered after the move: "
                            + tail(server.events().toString())
                            + "\n"
                            + consoles(a, b)));
    assertEquals(Optional.of("1"), after.field("conn"), "pings answered on the first connection");
    assertEquals(1, server.events("AGENT-CONNECTED").size(), "one connection: " + server.events());
    assertEquals(List.of(), server.events("AGENT-DISCONNECTED"), "the connection never closed");
    assertEquals(1, server.events("JAR-SERVED").size(), "the agent was not restarted");
    assertTrue(
        server.events("PONG").stream().allMatch(e -> e.field("conn").equals(Optional.of("1"))));
    assertTrue(server.isAlive() && server.otherOutput().isEmpty(), server.otherOutput());
    long pauseMs = server.longestPongGapMs(1, moveFromMs, moveToMs);

    // the guest: running on B only, at the same address, learned behind B by the overlay gateway
    try (Hypervisor ha = engine.connect("hosta");
        Hypervisor hb = engine.connect("hostb")) {
      assertEquals(VmState.RUNNING, hb.state(VM));
      assertEquals(VmState.ABSENT, ha.state(VM));
    }
    String gateway = names.gatewayNamespace();
    // the pongs after the move came on the TCP connection the guest opened from its overlay
    // address, and the kernel still holds that connection to that address: the guest kept its IP
    String sockets =
        shell
            .run(
                "ss",
                "-Htn",
                "state",
                "established",
                "src",
                tb.controllerAddress() + ":" + server.url().getPort())
            .stdout()
            .replaceAll("\\[(?:::ffff:)?([0-9.]+)]", "$1");
    assertEquals(1, sockets.lines().count(), "one connection to the test server: " + sockets);
    assertTrue(
        sockets.contains(" " + net.address() + ":"), "its peer is the guest's address: " + sockets);
    String neighbour = shell.runIn(gateway, "ip", "neigh", "show", net.address()).stdout();
    assertTrue(neighbour.contains("lladdr " + mac), "the same guest answers: " + neighbour);
    String fdb = shell.runIn(gateway, "bridge", "fdb", "show", "dev", "vxlan0").stdout();
    assertTrue(
        fdb.lines().anyMatch(l -> l.startsWith(mac + " ") && l.contains(" dst " + b.address())),
        "the overlay gateway reaches the guest behind host B: " + fdb);

    // nothing of the VM is left on A: no domain, no root overlay, no config disk, no QEMU
    try (LibvirtHypervisor ha = LibvirtHypervisor.connect(ea)) {
      assertEquals(VmState.ABSENT, ha.state(VM));
      assertFalse(ha.volumeExists(vm.overlayName()), "the root overlay is left on A");
      assertFalse(ha.volumeExists(ConfigDisk.volumeName(VM)), "the config disk is left on A");
    }
    assertFalse(Files.exists(a.imagesDir().resolve(vm.overlayName())));
    assertFalse(Files.exists(a.imagesDir().resolve(ConfigDisk.volumeName(VM))));
    assertEquals(List.of(), tb.processesOf(a, "guest=" + VM + ","), "a QEMU of the VM on A");

    // the agent started once and connected once; the secret is on the config disk only
    String consoles = consoles(a, b);
    assertEquals(1, count(consoles, "AGENT-START "), "the agent started once:\n" + consoles);
    assertEquals(1, count(consoles, "TEST-AGENT-CONNECTED "), consoles);
    assertFalse(consoles.contains("TEST-AGENT-ERROR") || consoles.contains("AGENT-EXITED"));
    assertFalse(consoles.contains(secret), "the secret is on the console");
    assertFalse(server.events().toString().contains(secret), "the secret is in the server's log");

    System.out.printf(
        "[agent-image] boot to connected %.1f s (agent.jar %d bytes, from %s); %s; the engine's"
            + " call returned after %.2f s; longest silence of the connection across it %d ms (pings every %d ms); one"
            + " connection, %d pings answered%n",
        bootToConnectedMs / 1000.0,
        server.events("JAR-SERVED").get(0).field("bytes").map(Long::parseLong).orElse(0L),
        net.address(),
        moved,
        (moveToMs - moveFromMs) / 1000.0,
        pauseMs,
        PING_MS,
        server.events("PONG").size());
    try (Hypervisor hb = engine.connect("hostb")) {
      hb.remove(VM);
    }
  }

  /** Waits for the agent's WebSocket; fails at once when the VM reports an error. */
  private AgentTestServer.Event awaitConnected(TestbedHost host, Duration within) throws Exception {
    long until = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < until) {
      Optional<AgentTestServer.Event> e =
          server.await(x -> x.kind().equals("AGENT-CONNECTED"), Duration.ofSeconds(1));
      if (e.isPresent()) {
        return e.get();
      }
      assertTrue(server.isAlive(), "the test server ended: " + server.otherOutput());
      assertEquals(List.of(), server.events("REJECTED"), "the test server refused the agent");
      String console = serial(host);
      for (String error :
          List.of(
              "SN-AGENT-NOT-STARTED",
              "SN-AGENT-CONFIG-ERROR",
              "SN-INITRAMFS-ERROR",
              "TEST-AGENT-ERROR",
              "AGENT-EXITED",
              "Kernel panic")) {
        assertFalse(console.contains(error), "the VM reported " + error + ":\n" + tail(console));
      }
    }
    throw new AssertionError(
        "the agent did not connect within " + within + "; console:\n" + tail(serial(host)));
  }

  private void awaitPong(int conn, long seq, Duration within) throws InterruptedException {
    server
        .await(
            e ->
                e.kind().equals("PONG")
                    && e.field("conn").equals(Optional.of(Integer.toString(conn)))
                    && Long.parseLong(e.field("seq").orElse("0")) >= seq,
            within)
        .orElseThrow(() -> new AssertionError("pings not answered: " + server.events()));
  }

  private long lastPongSeq() {
    List<AgentTestServer.Event> pongs = server.events("PONG");
    return pongs.isEmpty()
        ? 0
        : Long.parseLong(pongs.get(pongs.size() - 1).field("seq").orElse("0"));
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
      n++;
    }
    return n;
  }

  private static String serial(TestbedHost h) {
    Path log = h.serialLog(VM);
    try {
      return Files.exists(log) ? Files.readString(log).replace("\r", "") : "";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String consoles(TestbedHost a, TestbedHost b) {
    return serial(a) + serial(b);
  }

  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static HypervisorEndpoint endpoint(TestbedHost h) {
    return new HypervisorEndpoint(h.name(), h.clientUri(), h.peerUri(), h.memoryMib());
  }
}
