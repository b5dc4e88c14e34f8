package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.testbed.AgentChannelListener;
import io.spotnest.testbed.GuestImage;
import io.spotnest.testbed.GuestNetwork;
import io.spotnest.testbed.LabNames;
import io.spotnest.testbed.LabPrerequisites;
import io.spotnest.testbed.LinkShape;
import io.spotnest.testbed.Shell;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedHost;
import io.spotnest.testbed.TestbedSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A live migration between hosts in different routed subnets (the testbed's routed topology): the
 * agent keeps its address, MAC and TCP connection because it sits on the VXLAN overlay, and the
 * destination announces it.
 */
@Tag("lab")
class OverlayMigrationLabTest {

  private static final Pattern PACKETS = Pattern.compile("pcnt = (\\d+)");

  private GuestImage image;
  private Testbed tb;
  private AgentChannelListener channel;
  private final Shell shell = new Shell();

  @BeforeEach
  void start() {
    image = LabPrerequisites.image();
    tb =
        Testbed.start(
            new TestbedSpec(2, 1024, LinkShape.UNSHAPED, Path.of("/var/tmp/spotnest-test"))
                .withRoutedSubnets());
    channel = new AgentChannelListener(tb.controllerAddress(), 0, l -> {});
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.close();
    }
    if (tb != null) {
      tb.close();
    }
  }

  @Test
  void a_build_moves_to_a_host_in_another_subnet_and_keeps_its_connection() throws Exception {
    LabNames names = tb.names();
    TestbedHost a = tb.host(1);
    TestbedHost b = tb.host(2);
    GuestNetwork net = tb.guestNetwork(1);
    tb.requireLabRoute(net.address());
    String mac = String.format("52:54:00:5e:%02x:%02x", names.index(), 1);
    AgentVmSpec plain =
        TestGuest.spec(
            "agent-overlay",
            256,
            image.kernel().getParent().toString(),
            "/var/lib/libvirt/images/" + GuestImage.WORKSPACE_BASE_NAME,
            net.cidr(),
            channel.endpoint(),
            8,
            32,
            mac);
    AgentVmSpec vm =
        new AgentVmSpec(
            plain.name(),
            plain.memoryMib(),
            plain.vcpus(),
            plain.kernel(),
            plain.initramfs(),
            plain.cmdline() + " sn.gw=" + net.gateway().orElseThrow(),
            plain.baseImage(),
            plain.workspaceMib(),
            plain.mac(),
            plain.bridge(),
            AgentVmSpec.DEFAULT_MTU,
            false);

    // hosts A and B share no L2 segment: different subnets, reached from each other only through
    // the router
    assertNoSharedSegment(names, a, b);

    // count QEMU's self-announcements (RARP, ethertype 0x8035) from the guest's MAC arriving over
    // the overlay
    String gateway = names.gatewayNamespace();
    for (String ns : List.of(gateway, a.namespace())) {
      shell.runIn(
          ns, "ebtables", "-A", "INPUT", "-i", "vxlan0", "-p", "0x8035", "-s", mac, "-j", "ACCEPT");
    }

    List<HypervisorEndpoint> endpoints = List.of(endpoint(a), endpoint(b));
    try (LibvirtHypervisor h = LibvirtHypervisor.connect(endpoints.get(0))) {
      h.start(vm);
    }
    int conn =
        channel
            .await(l -> l.text().startsWith("HELLO vm=" + vm.name() + " "), Duration.ofSeconds(120))
            .orElseThrow(
                () ->
                    new AssertionError(
                        vm.name() + " never reached the controller over the overlay"))
            .connection();
    GuestStep before = awaitStepAfter(conn, 0, 5);
    assertEquals(
        Optional.of(a.address()),
        vtepOf(gateway, mac),
        "the gateway learned the guest behind host A");
    assertEquals(0, announcements(gateway), "no announcement before the move");

    MigrationEngine engine =
        new MigrationEngine(endpoints, new MigrationPlanner(0.8, Duration.ofMillis(500)));
    MigrationOutcome out =
        engine.migrate(
            new MigrationRequest(
                vm.name(),
                "hosta",
                "hostb",
                100L << 20,
                Instant.now().plus(Duration.ofSeconds(150)),
                MigrationSettings.defaults(),
                true),
            MigrationListener.NONE);
    long movedAt = System.nanoTime();
    assertTrue(out.success(), out.toString());
    assertEquals(Optional.of("hostb"), out.runningOn());
    try (Hypervisor ha = engine.connect("hosta");
        Hypervisor hb = engine.connect("hostb")) {
      assertEquals(VmState.RUNNING, hb.state(vm.name()));
      assertEquals(VmState.ABSENT, ha.state(vm.name()));
    }

    // the destination announced the guest: the gateway and the old host heard it over VXLAN and
    // re-learned it
    long announcedToGateway = awaitPositive(() -> announcements(gateway), Duration.ofSeconds(20));
    long announcedToA = announcements(a.namespace());
    assertTrue(
        announcedToGateway >= 1 && announcedToA >= 1,
        "announcements: gateway " + announcedToGateway + ", host A " + announcedToA);
    assertEquals(
        Optional.of(b.address()),
        vtepOf(gateway, mac),
        "the gateway learned the guest behind host B");
    assertEquals(
        Optional.of(b.address()),
        vtepOf(a.namespace(), mac),
        "host A learned the guest behind host B");

    // the same TCP connection carries new steps, the counter is continuous, the guest did not
    // reboot
    GuestStep after;
    try {
      after = awaitStepAfter(conn, movedAt, before.n() + 3);
    } catch (AssertionError e) {
      System.out.println(diagnostics(vm.name()));
      throw e;
    }
    assertEquals(before.bootId(), after.bootId(), "same boot id: no reboot");
    assertTrue(after.uptime() > before.uptime(), "uptime continuous");
    assertEquals(
        1,
        channel.connections().size(),
        "one connection for the whole build: " + channel.connections());
    List<GuestStep> steps = steps(conn);
    for (int i = 1; i < steps.size(); i++) {
      assertEquals(
          steps.get(i - 1).n() + 1, steps.get(i).n(), "step counter continuous at " + steps.get(i));
    }
    assertEquals(0, after.wsBad(), after.toString());
    assertTrue(
        after.wsWritten() > before.wsWritten() && after.wsVerified() == after.wsWritten(),
        after.toString());
    assertTrue(channel.lines().stream().noneMatch(l -> l.text().contains("CONNECTION-LOST")));

    // one MTU along the overlay on the destination: VXLAN device, agent bridge and the VM's tap
    String ports =
        shell.run("ip", "-n", b.namespace(), "-o", "link", "show", "master", "br0").stdout();
    assertTrue(
        ports.contains("vnet") && ports.lines().allMatch(l -> l.contains("mtu 1500")), ports);
    // still no shared segment after the move: A never resolved B's address on a link of its own
    assertNoSharedSegment(names, a, b);

    System.out.println(
        "[overlay] "
            + out
            + "; steps "
            + before.n()
            + " -> "
            + after.n()
            + ", step gap across the move "
            + maxStepGapMs(conn)
            + " ms; announcements heard: gateway "
            + announcedToGateway
            + ", host A "
            + announcedToA);
    try (Hypervisor hb = engine.connect("hostb")) {
      hb.remove(vm.name());
    }
  }

  private void assertNoSharedSegment(LabNames names, TestbedHost a, TestbedHost b) {
    String aAddr = ip(a.namespace(), "-4", "-o", "addr", "show", "dev", names.hostUplink(1));
    String bAddr = ip(b.namespace(), "-4", "-o", "addr", "show", "dev", names.hostUplink(2));
    assertTrue(
        aAddr.contains(a.address() + "/29") && bAddr.contains(b.address() + "/29"), aAddr + bAddr);
    String aToB = ip(a.namespace(), "-4", "route", "get", b.address());
    String bToA = ip(b.namespace(), "-4", "route", "get", a.address());
    assertTrue(
        aToB.contains(" via " + names.routedHostGateway(1) + " "),
        "A reaches B only through the router: " + aToB);
    assertTrue(
        bToA.contains(" via " + names.routedHostGateway(2) + " "),
        "B reaches A only through the router: " + bToA);
    assertFalse(
        ip(a.namespace(), "neigh", "show").contains(b.address() + " "), "A has B as a neighbour");
    assertFalse(
        ip(b.namespace(), "neigh", "show").contains(a.address() + " "), "B has A as a neighbour");
    // the router's ports to A and B are routed interfaces, not ports of any bridge
    String routerBridged =
        ip(names.routerNamespace(), "-o", "link", "show", "type", "bridge_slave");
    assertFalse(
        routerBridged.contains(names.switchPort(1)) || routerBridged.contains(names.switchPort(2)),
        routerBridged);
    for (TestbedHost h : List.of(a, b)) {
      String bridged = ip(h.namespace(), "-o", "link", "show", "type", "bridge_slave");
      assertFalse(
          bridged.contains(names.hostUplink(1)) || bridged.contains(names.hostUplink(2)),
          h.name() + " bridges its uplink: " + bridged);
    }
  }

  /**
   * What the overlay looks like from every namespace, and the guest's console on both hosts, for a
   * failure report.
   */
  private String diagnostics(String vmName) {
    StringBuilder out = new StringBuilder("--- overlay diagnostics\n");
    List<String> spaces =
        List.of(tb.names().gatewayNamespace(), tb.host(1).namespace(), tb.host(2).namespace());
    for (String ns : spaces) {
      for (List<String> cmd :
          List.of(
              List.of("bridge", "fdb", "show", "dev", "vxlan0"),
              List.of("ip", "neigh", "show"),
              List.of("ip", "-s", "-o", "link", "show"),
              List.of("bridge", "fdb", "show", "br", "br0"),
              List.of("ebtables", "-L", "INPUT", "--Lc"))) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(cmd);
        Shell.Result r = shell.exec(full);
        out.append("# ")
            .append(ns)
            .append(": ")
            .append(String.join(" ", cmd))
            .append('\n')
            .append(r.stdout())
            .append(r.stderr());
      }
    }
    for (TestbedHost h : tb.hosts()) {
      Shell.Result r = shell.exec(List.of("tail", "-n", "15", h.serialLog(vmName).toString()));
      out.append("# serial on ")
          .append(h.name())
          .append('\n')
          .append(r.stdout())
          .append(r.stderr());
    }
    return out.toString();
  }

  private static HypervisorEndpoint endpoint(TestbedHost h) {
    return new HypervisorEndpoint(h.name(), h.clientUri(), h.peerUri(), h.memoryMib());
  }

  private String ip(String ns, String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
    cmd.addAll(List.of(args));
    return shell.run(cmd.toArray(String[]::new)).stdout();
  }

  /** RARP frames from the guest's MAC counted by the namespace's ebtables rule. */
  private long announcements(String ns) {
    String listing = shell.runIn(ns, "ebtables", "-L", "INPUT", "--Lc").stdout();
    Matcher m = PACKETS.matcher(listing);
    if (!m.find()) {
      throw new AssertionError("no counter in " + listing);
    }
    return Long.parseLong(m.group(1));
  }

  /** The tunnel endpoint the namespace's VXLAN device has learned for {@code mac}. */
  private Optional<String> vtepOf(String ns, String mac) {
    String fdb = shell.runIn(ns, "bridge", "fdb", "show", "dev", "vxlan0").stdout();
    return fdb.lines()
        .filter(l -> l.startsWith(mac + " ") && l.contains(" dst "))
        .map(l -> l.substring(l.indexOf(" dst ") + 5).split(" ")[0])
        .findFirst();
  }

  private static long awaitPositive(java.util.function.LongSupplier value, Duration within)
      throws InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    long v = value.getAsLong();
    while (v <= 0 && System.nanoTime() < until) {
      Thread.sleep(200);
      v = value.getAsLong();
    }
    return v;
  }

  private GuestStep awaitStepAfter(int conn, long afterNanos, long n) {
    AgentChannelListener.Line l =
        channel
            .await(
                x ->
                    x.connection() == conn
                        && x.receivedNanos() > afterNanos
                        && GuestStep.parse(x.text()).map(s -> s.n() >= n).orElse(false),
                Duration.ofSeconds(120))
            .orElseThrow(() -> new AssertionError("no STEP >= " + n + " on connection " + conn));
    return GuestStep.parse(l.text()).orElseThrow();
  }

  private List<GuestStep> steps(int conn) {
    return channel.linesOf(conn).stream()
        .map(l -> GuestStep.parse(l.text()))
        .flatMap(Optional::stream)
        .toList();
  }

  private long maxStepGapMs(int conn) {
    List<AgentChannelListener.Line> ls =
        channel.linesOf(conn).stream().filter(l -> l.text().startsWith("STEP ")).toList();
    long max = 0;
    for (int i = 1; i < ls.size(); i++) {
      max = Math.max(max, (ls.get(i).receivedNanos() - ls.get(i - 1).receivedNanos()) / 1_000_000);
    }
    return max;
  }
}
