package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 2: the safety margin on deadlines, destination disk reservation, per-host and
 * per-link limits, and the link's bandwidth shared among its moves and re-set in flight.
 */
class MoveLimitsTest {

  final FakeCluster cluster = new FakeCluster("a", "b", "c");
  final FakeHypervisor a = cluster.host("a");
  final FakeHypervisor b = cluster.host("b");
  final FakeHypervisor c = cluster.host("c");
  final TestClock clock = new TestClock();
  final RunTimings fast =
      new RunTimings(
          Duration.ofMillis(200),
          Duration.ofMillis(500),
          Duration.ofMillis(100),
          Duration.ofMillis(500));

  /** Held moves: the fake's migrate call blocks until its latch is released, then completes. */
  final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();

  @AfterEach
  void release() {
    held.values().forEach(CountDownLatch::countDown);
    cluster.releaseAll();
  }

  MigrationEngine engine(EngineLimits limits) {
    return new MigrationEngine(
        cluster.endpoints(),
        new MigrationPlanner(0.8, Duration.ZERO),
        cluster,
        clock,
        fast,
        limits);
  }

  MigrationRequest request(String vm, String from, String to, Duration deadline, boolean refuse) {
    return new MigrationRequest(
        vm,
        from,
        to,
        100L << 20,
        clock.instant().plus(deadline),
        MigrationSettings.defaults().withPollInterval(Duration.ofMillis(10)),
        refuse);
  }

  MigrationRequest request(String vm, String from, String to) {
    return request(vm, from, to, Duration.ofMinutes(1), true);
  }

  /**
   * Moves from {@code host} block in libvirt's call until {@link #held} releases them, then
   * complete.
   */
  void holdMoves(FakeHypervisor host) {
    host.behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    host.script =
        vm -> {
          try {
            held.computeIfAbsent(vm, k -> new CountDownLatch(1)).await(20, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          FakeHypervisor dst = b.vm(vm) != null && b.vm(vm).job ? b : c;
          host.complete(vm, dst);
        };
  }

  static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long until = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(2);
    }
  }

  // safety margin

  @Test
  void the_safety_margin_moves_the_abort_before_the_callers_deadline() {
    MigrationEngine engine =
        engine(EngineLimits.defaults().withSafetyMargin(Duration.ofSeconds(3)));
    a.running("vm").behaviour = FakeHypervisor.Behaviour.RUNS_UNTIL_ABORTED;

    long t0 = System.nanoTime();
    MigrationOutcome out =
        engine.migrate(
            request("vm", "a", "b", Duration.ofMillis(3400), false), MigrationListener.NONE);
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertTrue(
        ms < 2000, "aborted after " + ms + " ms: the margin leaves 400 ms of a 3400 ms deadline");
    assertEquals(Optional.of("a"), out.runningOn());
  }

  @Test
  void a_move_that_fits_the_deadline_but_not_the_margin_is_refused_up_front() {
    MigrationEngine engine =
        engine(EngineLimits.defaults().withSafetyMargin(Duration.ofSeconds(5)));
    a.running("vm"); // 256 MiB at 80 MiB/s: about 3.2 s

    MigrationOutcome out =
        engine.migrate(
            request("vm", "a", "b", Duration.ofSeconds(6), true), MigrationListener.NONE);

    assertEquals(Optional.of(FailureKind.PLAN_MISSES_DEADLINE), out.failure(), out.toString());
    assertFalse(a.called("migrate", "vm"));
    assertEquals(VmState.RUNNING, a.state("vm"));
  }

  // destination disk

  @Test
  void a_destination_without_disk_room_for_the_overlay_is_refused_before_anything_is_created() {
    MigrationEngine engine = engine(EngineLimits.defaults());
    a.running("vm"); // its overlay holds 4 MiB of written blocks
    b.freeDiskMib = 2;

    MigrationException e =
        assertThrows(
            MigrationException.class,
            () -> engine.migrate(request("vm", "a", "b"), MigrationListener.NONE));

    assertEquals(FailureKind.NO_ROOM, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("disk room"), e.getMessage());
    assertFalse(b.hasVolume("vm.qcow2"));
    assertFalse(a.called("migrate", "vm"));
  }

  @Test
  void two_moves_to_one_host_cannot_both_take_its_last_disk_room() throws Exception {
    MigrationEngine engine = engine(EngineLimits.defaults());
    a.running("vm1");
    a.running("vm2");
    holdMoves(a);
    b.freeDiskMib = 6; // room for one 4 MiB overlay
    MigrationHandle first = engine.start(request("vm1", "a", "b"), MigrationListener.NONE);
    waitFor(() -> a.called("migrate", "vm1"), "the first move to start");

    MigrationException second =
        assertThrows(
            MigrationException.class,
            () -> engine.migrate(request("vm2", "a", "b"), MigrationListener.NONE));
    held.computeIfAbsent("vm1", k -> new CountDownLatch(1)).countDown();

    assertEquals(FailureKind.NO_ROOM, second.kind(), second.getMessage());
    assertTrue(second.getMessage().contains("4 MiB reserved"), second.getMessage());
    assertTrue(first.outcome().get(5, TimeUnit.SECONDS).success());
  }

  // concurrency limits

  @Test
  void a_move_over_the_per_host_limit_is_refused_with_the_limit_named() throws Exception {
    MigrationEngine engine =
        engine(EngineLimits.defaults().withMovesPerHost(1).withQueueWait(Duration.ZERO));
    a.running("vm1");
    c.running("vm2");
    holdMoves(a);
    MigrationHandle first = engine.start(request("vm1", "a", "b"), MigrationListener.NONE);
    waitFor(() -> a.called("migrate", "vm1"), "the first move to start");

    MigrationHandle second = engine.start(request("vm2", "c", "b"), MigrationListener.NONE);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> second.outcome().get(5, TimeUnit.SECONDS));

    MigrationException refused = assertInstanceOf(MigrationException.class, e.getCause());
    assertEquals(FailureKind.LIMIT_REACHED, refused.kind(), refused.getMessage());
    assertTrue(
        refused.getMessage().contains("host b") && refused.getMessage().contains("movesPerHost=1"),
        refused.getMessage());
    assertFalse(c.called("migrate", "vm2"));
    held.computeIfAbsent("vm1", k -> new CountDownLatch(1)).countDown();
    assertTrue(first.outcome().get(5, TimeUnit.SECONDS).success());
  }

  @Test
  void a_move_over_the_per_link_limit_waits_for_the_link_and_then_runs() throws Exception {
    MigrationEngine engine =
        engine(EngineLimits.defaults().withMovesPerLink(1).withQueueWait(Duration.ofSeconds(10)));
    a.running("vm1");
    a.running("vm2");
    holdMoves(a);
    MigrationHandle first = engine.start(request("vm1", "a", "b"), MigrationListener.NONE);
    waitFor(() -> a.called("migrate", "vm1"), "the first move to start");

    MigrationHandle second = engine.start(request("vm2", "a", "b"), MigrationListener.NONE);
    held.computeIfAbsent("vm2", k -> new CountDownLatch(1)).countDown();
    Thread.sleep(200);
    assertFalse(a.called("migrate", "vm2"), "the second move started while the link was full");
    assertEquals(MigrationPhase.PREPARING, second.phase());

    held.computeIfAbsent("vm1", k -> new CountDownLatch(1)).countDown();

    assertTrue(first.outcome().get(5, TimeUnit.SECONDS).success());
    assertTrue(second.outcome().get(5, TimeUnit.SECONDS).success());
    List<String> log = a.log();
    assertTrue(log.indexOf("migrate vm2") > log.indexOf("migrate vm1"), log.toString());
  }

  // bandwidth shared on a link

  @Test
  void moves_on_one_link_share_its_bandwidth_re_set_in_flight_as_moves_start_and_end()
      throws Exception {
    MigrationEngine engine = engine(EngineLimits.defaults().withMovesPerLink(2));
    a.running("vm1");
    a.running("vm2");
    holdMoves(a);
    MigrationHandle first = engine.start(request("vm1", "a", "b"), MigrationListener.NONE);
    waitFor(() -> a.called("migrate", "vm1"), "the first move to start");
    assertEquals(0, a.migrateSettings.get("vm1").bandwidthMiBps(), "a move alone runs uncapped");

    MigrationHandle second = engine.start(request("vm2", "a", "b"), MigrationListener.NONE);
    waitFor(() -> a.called("migrate", "vm2"), "the second move to start");
    assertEquals(
        50,
        a.migrateSettings.get("vm2").bandwidthMiBps(),
        "the second move starts at half the link");
    waitFor(
        () -> a.speeds.contains("vm1=50"),
        "the first move to be slowed to half the link: " + a.speeds);

    held.computeIfAbsent("vm2", k -> new CountDownLatch(1)).countDown();
    assertTrue(second.outcome().get(5, TimeUnit.SECONDS).success());
    waitFor(
        () -> a.speeds.contains("vm1=" + MoveSlots.UNLIMITED_MIB_S),
        "the first move to get the whole link back: " + a.speeds);

    held.computeIfAbsent("vm1", k -> new CountDownLatch(1)).countDown();
    assertTrue(first.outcome().get(5, TimeUnit.SECONDS).success());
    assertFalse(
        a.speeds.stream().anyMatch(s -> s.startsWith("vm2=")),
        "vm2 started at its share: " + a.speeds);
  }
}
