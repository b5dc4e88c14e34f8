package io.spotnest.migration;

import io.spotnest.testbed.AgentChannelListener;
import io.spotnest.testbed.GuestImage;
import io.spotnest.testbed.LabPrerequisites;
import io.spotnest.testbed.LinkShape;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedHost;
import io.spotnest.testbed.TestbedSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A two-host lab, the controller-side listener and helpers to start test guests on it. Registered
 * as a JUnit extension: in a static field one lab serves the whole class, in an instance field each
 * test gets its own.
 */
final class LabFixture
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final long hostMemoryMib;
  private final LinkShape link;
  Testbed testbed;
  GuestImage image;
  AgentChannelListener channel;
  private int guests;
  private boolean perTest;

  LabFixture(long hostMemoryMib) {
    this(hostMemoryMib, LinkShape.UNSHAPED);
  }

  /** A lab whose hosts' links are shaped to {@code link}. */
  LabFixture(long hostMemoryMib, LinkShape link) {
    this.hostMemoryMib = hostMemoryMib;
    this.link = link;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (testbed == null) {
      perTest = true;
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  private void start() {
    image = LabPrerequisites.image();
    guests = 0;
    testbed =
        Testbed.start(new TestbedSpec(2, hostMemoryMib, link, Path.of("/var/tmp/spotnest-test")));
    channel = new AgentChannelListener(testbed.controllerAddress(), 0, l -> {});
  }

  HypervisorEndpoint endpoint(int host) {
    return endpoint(host, testbed.host(host).memoryMib());
  }

  HypervisorEndpoint endpoint(int host, long capacityMib) {
    TestbedHost h = testbed.host(host);
    return new HypervisorEndpoint(h.name(), h.clientUri(), h.peerUri(), capacityMib);
  }

  MigrationEngine engine() {
    return new MigrationEngine(
        List.of(endpoint(1), endpoint(2)), new MigrationPlanner(0.8, Duration.ofMillis(500)));
  }

  MigrationEngine engine(EngineLimits limits) {
    return new MigrationEngine(
        List.of(endpoint(1), endpoint(2)),
        new MigrationPlanner(0.8, Duration.ofMillis(500)),
        HypervisorFactory.LIBVIRT,
        java.time.Clock.systemUTC(),
        limits);
  }

  /** Fails unless a host holds nothing of the VM: no domain, no overlay, no QEMU process. */
  void assertNothingOf(int host, String vm) {
    TestbedHost h = testbed.host(host);
    try (LibvirtHypervisor hv = LibvirtHypervisor.connect(endpoint(host))) {
      org.junit.jupiter.api.Assertions.assertEquals(
          VmState.ABSENT, hv.state(vm), vm + " is still defined on " + h.name());
      org.junit.jupiter.api.Assertions.assertFalse(
          hv.volumeExists(vm + ".qcow2"), vm + "'s overlay is left on " + h.name());
    }
    org.junit.jupiter.api.Assertions.assertEquals(
        List.of(),
        testbed.processesOf(h, "guest=" + vm + ","),
        "a QEMU of " + vm + " still runs on " + h.name());
  }

  /**
   * The pause the build saw between two instants ({@link System#nanoTime()}): the longest gap
   * between its 10 ms heartbeats; fails when the build sent none (a test guest image older than the
   * heartbeat).
   */
  long pauseMs(int conn, long fromNanos, long toNanos) {
    return channel
        .longestBeatGapMillis(conn, fromNanos, toNanos, Duration.ofSeconds(5))
        .orElseThrow(
            () ->
                new AssertionError(
                    "no heartbeat from the build on connection "
                        + conn
                        + ": rebuild the test guest (nested-agent-image/build-test-guest.sh)"));
  }

  /** The newest STEP the VM's build sent on the connection. */
  long lastStep(int conn) {
    List<GuestStep> s = steps(conn);
    return s.isEmpty() ? 0 : s.get(s.size() - 1).n();
  }

  /** Starts a test guest on host 1 and returns its spec. */
  AgentVmSpec startGuest(String name, long memoryMib, int dirtyMibPerSecond, int workingSetMib) {
    return startGuest(name, memoryMib, dirtyMibPerSecond, workingSetMib, null);
  }

  /** Starts a test guest on host 1, with {@code config} as its config disk unless null. */
  AgentVmSpec startGuest(
      String name, long memoryMib, int dirtyMibPerSecond, int workingSetMib, ConfigDisk config) {
    return startGuest(name, memoryMib, dirtyMibPerSecond, workingSetMib, config, false);
  }

  /**
   * Starts a test guest on host 1 whose RAM is a file ({@link AgentVmSpec#fileMemory()}) when
   * {@code fileMemory}.
   */
  AgentVmSpec startGuest(
      String name,
      long memoryMib,
      int dirtyMibPerSecond,
      int workingSetMib,
      ConfigDisk config,
      boolean fileMemory) {
    guests++;
    String address = testbed.names().guestAddress(guests);
    testbed.requireLabRoute(testbed.names().guestAddress(guests));
    AgentVmSpec vm =
        TestGuest.spec(
            name,
            memoryMib,
            image.kernel().getParent().toString(),
            "/var/lib/libvirt/images/" + GuestImage.WORKSPACE_BASE_NAME,
            address + "/24",
            channel.endpoint(),
            dirtyMibPerSecond,
            workingSetMib,
            String.format("52:54:00:5e:%02x:%02x", testbed.names().index(), guests));
    vm = fileMemory ? vm.withFileMemory() : vm;
    try (LibvirtHypervisor a = LibvirtHypervisor.connect(endpoint(1))) {
      if (config == null) {
        a.start(vm);
      } else {
        a.start(vm, config);
      }
    }
    return vm;
  }

  /** The agent-channel connection the VM's build opened (waits for its HELLO). */
  int connectionOf(String vm) {
    return channel
        .await(l -> l.text().startsWith("HELLO vm=" + vm + " "), Duration.ofSeconds(120))
        .orElseThrow(() -> new AssertionError(vm + " never connected to the controller"))
        .connection();
  }

  List<GuestStep> steps(int conn) {
    return channel.linesOf(conn).stream()
        .map(l -> GuestStep.parse(l.text()))
        .flatMap(java.util.Optional::stream)
        .toList();
  }

  GuestStep awaitStep(int conn, long n) {
    return awaitStepAfter(conn, 0, n);
  }

  /** Waits for a STEP of at least {@code n} received after {@code afterNanos} on the connection. */
  GuestStep awaitStepAfter(int conn, long afterNanos, long n) {
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

  void close() {
    if (channel != null) {
      channel.close();
      channel = null;
    }
    if (testbed != null) {
      testbed.close();
      testbed = null;
    }
  }
}
