package io.spotnest.cli;

import io.spotnest.migration.AgentVmSpec;
import io.spotnest.migration.EngineLimits;
import io.spotnest.migration.Hypervisor;
import io.spotnest.migration.HypervisorEndpoint;
import io.spotnest.migration.HypervisorFactory;
import io.spotnest.migration.MigrationEngine;
import io.spotnest.migration.MigrationPlanner;
import io.spotnest.migration.TestGuest;
import io.spotnest.testbed.AgentChannelListener;
import io.spotnest.testbed.GuestImage;
import io.spotnest.testbed.LinkProbe;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedHost;
import io.spotnest.testbed.TestbedSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lab with the controller-side agent channel and a migration engine over its hosts, for demo and
 * bench.
 */
final class LabSession implements AutoCloseable {

  /**
   * Fraction of the link the demo's fleet strategy assumes a migration achieves when it sizes a
   * drain: the conservative figure its moves have always been planned with (0.68–0.80 measured in
   * the bench's first runs), below what the engine now learns on the lab's link ({@link
   * #FIRST_MOVE_EFFICIENCY}).
   */
  static final double LINK_EFFICIENCY = 0.75;

  /**
   * The link efficiency the engine plans a move with before it has learned the link's own from a
   * finished pre-copy move: taken a little below what it learned on the bench's 200 Mbit/s lab
   * link, 0.914-0.925 (`bench migration` prints it; docs/benchmarks.md). Planned at 0.75, the
   * bench's first, auto-converge, move came out 1.28-1.42 x its time.
   */
  static final double FIRST_MOVE_EFFICIENCY = 0.9;

  /**
   * The set-up time of a move before the engine learned the link's: a little below the 3.4-4.0 s it
   * learned on the same moves (a move's time beyond its bytes at the stream's rate).
   */
  static final Duration SETUP = Duration.ofSeconds(3);

  private static final Pattern STEP = Pattern.compile("^STEP (\\d+) ");

  final Testbed testbed;
  final GuestImage image;
  final AgentChannelListener channel;
  final MigrationEngine engine;
  private int guests;

  LabSession(TestbedSpec spec, Consumer<AgentChannelListener.Line> echo) {
    image = GuestImage.locate();
    testbed = Testbed.start(spec);
    try {
      channel = new AgentChannelListener(testbed.controllerAddress(), 0, echo);
      engine = engine(EngineLimits.defaults());
    } catch (RuntimeException e) {
      testbed.close();
      throw e;
    }
  }

  /** An engine over this lab's hosts with the session's planner and {@code limits}. */
  MigrationEngine engine(EngineLimits limits) {
    return new MigrationEngine(
        testbed.hosts().stream().map(LabSession::endpoint).toList(),
        new MigrationPlanner(FIRST_MOVE_EFFICIENCY, SETUP),
        HypervisorFactory.LIBVIRT,
        Clock.systemUTC(),
        limits);
  }

  static HypervisorEndpoint endpoint(TestbedHost h) {
    return new HypervisorEndpoint(h.name(), h.clientUri(), h.peerUri(), h.memoryMib());
  }

  /**
   * Starts a test guest on {@code host} and waits until its build has taken {@code steps} steps.
   * The build dirties memory over a working set of a quarter of RAM (at most 128 MiB): large enough
   * that a pre-copy pass of a few seconds sees the full dirty rate, small enough to leave the guest
   * kernel room.
   */
  AgentVmSpec startGuest(TestbedHost host, String name, long memoryMib, int dirtyMibS, int steps) {
    return startGuest(host, name, memoryMib, dirtyMibS, steps, true);
  }

  /** As above; {@code withDisk} false starts the guest without a workspace disk. */
  AgentVmSpec startGuest(
      TestbedHost host, String name, long memoryMib, int dirtyMibS, int steps, boolean withDisk) {
    return startGuest(host, name, memoryMib, dirtyMibS, steps, withDisk, 1);
  }

  /**
   * As above, with {@code vcpus} virtual CPUs: the guest kernel then runs the build's heartbeat and
   * dirtier threads on whichever vCPU is free.
   */
  AgentVmSpec startGuest(
      TestbedHost host,
      String name,
      long memoryMib,
      int dirtyMibS,
      int steps,
      boolean withDisk,
      int vcpus) {
    return startGuest(host, name, memoryMib, dirtyMibS, steps, withDisk, vcpus, false);
  }

  /**
   * As above; {@code fileMemory} defines the guest with its RAM in a file ({@link
   * AgentVmSpec#fileMemory()}), as a standing copy with its standby in a file needs.
   */
  AgentVmSpec startGuest(
      TestbedHost host,
      String name,
      long memoryMib,
      int dirtyMibS,
      int steps,
      boolean withDisk,
      int vcpus,
      boolean fileMemory) {
    guests++;
    String address = testbed.names().guestAddress(guests);
    testbed.requireLabRoute(address);
    AgentVmSpec spec =
        TestGuest.spec(
            name,
            memoryMib,
            image.kernel().getParent().toString(),
            TestbedHost.imagesPathInHost() + "/" + GuestImage.WORKSPACE_BASE_NAME,
            address + "/24",
            channel.endpoint(),
            dirtyMibS,
            (int) Math.min(128, memoryMib / 4),
            String.format("52:54:00:5f:%02x:%02x", testbed.names().index(), guests));
    AgentVmSpec vm = (withDisk ? spec : spec.withoutWorkspace()).withVcpus(vcpus);
    vm = fileMemory ? vm.withFileMemory() : vm;
    try (Hypervisor h = engine.connect(host.name())) {
      h.start(vm);
    }
    try {
      awaitStep(name, steps, Duration.ofSeconds(180));
    } catch (IllegalStateException e) {
      printGuestLogs(name);
      throw e;
    }
    return vm;
  }

  /** The connection id of a VM's agent channel. */
  Optional<Integer> connectionOf(String vm) {
    return channel.lines().stream()
        .filter(l -> l.text().startsWith("HELLO vm=" + vm + " "))
        .map(AgentChannelListener.Line::connection)
        .findFirst();
  }

  long lastStep(String vm) {
    Optional<Integer> c = connectionOf(vm);
    if (c.isEmpty()) {
      return 0;
    }
    List<AgentChannelListener.Line> ls = channel.linesOf(c.get());
    for (int i = ls.size() - 1; i >= 0; i--) {
      Matcher m = STEP.matcher(ls.get(i).text());
      if (m.find()) {
        return Long.parseLong(m.group(1));
      }
    }
    return 0;
  }

  void awaitStep(String vm, long n, Duration timeout) {
    long until = System.nanoTime() + timeout.toNanos();
    while (lastStep(vm) < n) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException(
            vm + " did not reach step " + n + " within " + timeout.toSeconds() + " s");
      }
      sleep(100);
    }
  }

  long measureLink(TestbedHost from, TestbedHost to) {
    return new LinkProbe(testbed).measure(from, to, 64);
  }

  /** Where {@code vm} is on {@code host} (throws when the host does not answer). */
  io.spotnest.migration.VmStatus status(String host, String vm) {
    try (Hypervisor h = engine.connect(host)) {
      return h.status(vm);
    }
  }

  void remove(String host, String vm) {
    try (Hypervisor h = engine.connect(host)) {
      h.remove(vm);
    }
  }

  /** Removes {@code vm} from each of {@code hosts} in turn. */
  void removeFrom(List<TestbedHost> hosts, String vm) {
    for (TestbedHost h : hosts) {
      remove(h.name(), vm);
    }
  }

  /** Prints the tail of the guest's console and QEMU log on every host (after a failure). */
  void printGuestLogs(String vm) {
    for (TestbedHost h : testbed.hosts()) {
      for (java.nio.file.Path log :
          List.of(h.serialLog(vm), h.dir().resolve("log/qemu/" + vm + ".log"))) {
        try {
          List<String> lines = java.nio.file.Files.readAllLines(log);
          System.out.println("--- " + h.name() + ": " + log.getFileName() + " (last 12 lines)");
          lines
              .subList(Math.max(0, lines.size() - 12), lines.size())
              .forEach(l -> System.out.println("  " + l));
        } catch (java.io.IOException e) {
          System.out.println("--- " + h.name() + ": no " + log.getFileName());
        }
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    channel.close();
    testbed.close();
  }
}
