package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Faults found in review (issue 8), each against fake hosts. */
class MigrationRunFaultTest {

  final FakeCluster cluster = new FakeCluster("a", "b");
  final FakeHypervisor a = cluster.host("a");
  final FakeHypervisor b = cluster.host("b");
  final TestClock clock = new TestClock();
  final RunTimings fast =
      new RunTimings(
          Duration.ofMillis(100),
          Duration.ofMillis(300),
          Duration.ofMillis(100),
          Duration.ofMillis(500));
  final MigrationEngine engine =
      new MigrationEngine(
          cluster.endpoints(), new MigrationPlanner(0.8, Duration.ZERO), cluster, clock, fast);

  @AfterEach
  void release() {
    cluster.releaseAll();
  }

  MigrationRequest request(String vm, Duration deadline, MigrationSettings s, boolean refuse) {
    return new MigrationRequest(
        vm,
        "a",
        "b",
        100L << 20,
        clock.instant().plus(deadline),
        s.withPollInterval(Duration.ofMillis(10)),
        refuse);
  }

  /** A move of "vm" with auto-converge that runs even when the plan says it cannot make it. */
  MigrationRequest autoConverging(Duration deadline) {
    return request("vm", deadline, MigrationSettings.defaults().withAutoConverge(true), false);
  }

  /** {@code host} (called {@code name}) answers its VM's state but no longer its job statistics. */
  static void jobUnreadable(FakeHypervisor host, String name) {
    host.progressFailure =
        new MigrationException(
            FailureKind.HOST_FAILED, "host " + name + " did not answer job statistics (fake)");
  }

  MigrationRequest request(String vm) {
    return request(vm, Duration.ofMinutes(1), MigrationSettings.defaults(), true);
  }

  // defect 2

  @Test
  void a_refused_post_copy_switch_does_not_escape_and_the_deadline_still_aborts() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.COMPLETES_AFTER_POST_COPY_SWITCH;
    a.postCopyFailure =
        new MigrationException(FailureKind.HYPERVISOR_ERROR, "libvirt refused to start post-copy");
    MigrationSettings s =
        MigrationSettings.defaults().withPostCopy(PostCopyPolicy.after(Duration.ZERO));

    MigrationOutcome out =
        engine.migrate(request("vm", Duration.ofMillis(500), s, false), MigrationListener.NONE);

    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    assertTrue(out.message().contains("post-copy switch refused"), out.message());
    assertEquals(VmState.RUNNING, a.state("vm"));
    assertEquals(VmState.ABSENT, b.state("vm"));
    assertFalse(b.hasVolume("vm.qcow2"));
  }

  @Test
  void a_listener_that_throws_does_not_break_the_migration() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.COMPLETES_AFTER_POST_COPY_SWITCH;
    MigrationSettings s =
        MigrationSettings.defaults().withPostCopy(PostCopyPolicy.after(Duration.ZERO));
    MigrationListener throwing =
        new MigrationListener() {
          @Override
          public void onProgress(MigrationProgress p) {
            throw new IllegalStateException("listener bug");
          }
        };

    MigrationOutcome out = engine.migrate(request("vm", Duration.ofMinutes(1), s, true), throwing);

    assertTrue(out.success(), out.toString());
    assertTrue(out.postCopy(), out.toString());
    assertTrue(out.message().contains("listener bug"), out.message());
  }

  // defect 3

  @Test
  void a_source_that_dies_right_after_the_switch_is_a_success_on_the_destination() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          a.complete(vm, b);
          a.reachable(false); // reclaimed right after the switch
        };

    MigrationOutcome out = engine.migrate(request("vm"), MigrationListener.NONE);

    assertTrue(out.success(), out.toString());
    assertEquals(Optional.of("b"), out.runningOn());
    assertTrue(out.message().contains("left to reconciliation"), out.message());
    assertEquals(VmState.RUNNING, b.state("vm"));
  }

  // defect 4

  @Test
  void a_destination_listing_that_races_a_teardown_is_not_taken_for_a_dead_host_and_is_cleaned() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          b.listingFailure =
              new MigrationException(
                  FailureKind.HOST_FAILED, "domain vanished while listed (fake)");
          throw new MigrationException(
              FailureKind.HYPERVISOR_ERROR, "QEMU exited on the destination (fake)");
        };

    MigrationOutcome out = engine.migrate(request("vm"), MigrationListener.NONE);

    assertEquals(Optional.of(FailureKind.HYPERVISOR_ERROR), out.failure(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn());
    assertEquals(VmState.ABSENT, b.state("vm"), "the incoming copy stayed on the destination");
    assertFalse(b.hasVolume("vm.qcow2"), "the overlay stayed on the destination");
  }

  @Test
  void what_a_dead_destination_kept_is_removed_by_reconciliation_once_it_is_back() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          b.reachable(false);
          throw new MigrationException(
              FailureKind.HYPERVISOR_ERROR, "connection to the destination lost (fake)");
        };

    MigrationOutcome out = engine.migrate(request("vm"), MigrationListener.NONE);

    assertEquals(Optional.of(FailureKind.HOST_FAILED), out.failure(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn());
    b.reachable(true);
    MigrationRecovery.Result r =
        new MigrationRecovery(cluster.endpoints(), cluster).reconcile("vm");
    assertEquals(Optional.of("a"), r.runningOn(), r.actions().toString());
    assertEquals(VmState.ABSENT, b.state("vm"));
    assertFalse(b.hasVolume("vm.qcow2"));
  }

  @Test
  void
      a_source_lost_during_the_copy_is_reported_as_the_vm_lost_with_its_host_and_the_destination_cleaned() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          a.reachable(false); // reclaimed: daemon and guest gone
          b.remove(vm); // the destination's libvirt drops the incoming domain, its overlay stays
          b.createOverlay(vm + ".qcow2", 64L << 20, "/images/base.qcow2");
          throw new MigrationException(FailureKind.HOST_FAILED, "client socket is closed (fake)");
        };

    MigrationOutcome out = engine.migrate(request("vm"), MigrationListener.NONE);

    assertEquals(Optional.of(FailureKind.HOST_FAILED), out.failure(), out.toString());
    assertEquals(Optional.empty(), out.runningOn(), out.toString());
    assertTrue(out.message().contains("the VM was lost with its source host a"), out.message());
    assertEquals(VmState.ABSENT, b.state("vm"));
    assertFalse(b.hasVolume("vm.qcow2"), "the incoming overlay is left on the destination");
  }

  @Test
  void
      a_call_stuck_after_the_abort_while_the_source_runs_on_ends_by_the_deadline_with_the_vm_on_the_source() {
    // the destination's link is cut: QEMU took the abort, the source runs on, but libvirt's call
    // still waits for
    // the destination (its keepalive gives up only minutes later)
    CountDownLatch never = new CountDownLatch(1);
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script = vm -> await(never);
    MigrationEngine e = engineLettingGoOfStuckCalls();
    long t0 = System.nanoTime();

    MigrationOutcome out =
        e.migrate(
            request("vm", Duration.ofMillis(500), MigrationSettings.defaults(), false),
            MigrationListener.NONE);

    long ms = (System.nanoTime() - t0) / 1_000_000;
    never.countDown();
    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    assertTrue(ms < 5_000, "the outcome waited " + ms + " ms for a call that would not return");
    assertTrue(out.message().contains("left to reconciliation"), out.message());
    assertEquals(VmState.RUNNING, a.state("vm"));
  }

  @Test
  void once_a_stuck_call_returns_the_destination_it_held_is_cleaned_up() throws Exception {
    // seen on the lab: an abort early in the copy (the destination still starting its QEMU) whose
    // call returned only seconds after the run had ended, leaving a paused incoming copy behind
    CountDownLatch release = new CountDownLatch(1);
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    UUID id = a.uuid("vm").orElseThrow();
    a.script =
        vm -> {
          b.put(vm, VmStatus.of(VmState.PAUSED, VmStatus.Reason.MIGRATION), 256, id);
          await(release);
          throw new MigrationException(FailureKind.HYPERVISOR_ERROR, "operation aborted (fake)");
        };
    MigrationEngine e = engineLettingGoOfStuckCalls();

    MigrationOutcome out =
        e.migrate(
            request("vm", Duration.ofMillis(500), MigrationSettings.defaults(), false),
            MigrationListener.NONE);

    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    assertEquals(VmState.PAUSED, b.state("vm"), "the call still holds the destination");
    release.countDown();
    long until = System.nanoTime() + 5_000_000_000L;
    while ((b.state("vm") != VmState.ABSENT || b.volumeExists("vm.qcow2"))
        && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertEquals(VmState.ABSENT, b.state("vm"), "the paused incoming copy is removed");
    assertFalse(b.volumeExists("vm.qcow2"), "and the destination's overlay");
    assertEquals(VmState.RUNNING, a.state("vm"));
  }

  // the bench probe that ended HOST_FAILED, RUNNING NOWHERE (40 Mbit/s, 256 MiB, 32 MiB/s,
  // auto-converge): a host that answers its VM's state but not, for a few seconds, its job
  // statistics (libvirt holds the domain's job while it finishes the migration) was taken for a
  // dead host

  @Test
  void a_completed_move_whose_destination_is_slow_to_report_its_job_ends_on_the_destination() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          a.complete(vm, b);
          jobUnreadable(b, "b");
          clearLater(b, 200);
        };

    MigrationOutcome out =
        engine.migrate(autoConverging(Duration.ofMinutes(1)), MigrationListener.NONE);

    assertTrue(out.success(), out.toString());
    assertEquals(Optional.of("b"), out.runningOn(), out.toString());
    assertEquals(VmState.RUNNING, b.state("vm"));
  }

  @Test
  void a_failed_move_whose_source_is_slow_to_report_its_job_keeps_the_vm_on_the_source() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          b.remove(vm); // the destination's libvirt dropped the incoming copy
          jobUnreadable(a, "a");
          clearLater(a, 200);
          throw new MigrationException(
              FailureKind.HYPERVISOR_ERROR, "Lost connection to destination host (fake)");
        };

    MigrationOutcome out =
        engine.migrate(autoConverging(Duration.ofMinutes(1)), MigrationListener.NONE);

    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    assertEquals(Optional.of(FailureKind.HYPERVISOR_ERROR), out.failure(), out.toString());
    assertFalse(out.message().contains("lost"), out.message());
    assertEquals(VmState.RUNNING, a.state("vm"));
    assertFalse(b.hasVolume("vm.qcow2"), "the incoming overlay stayed on the destination");
  }

  @Test
  void a_call_stuck_after_the_abort_with_the_source_job_unreadable_still_ends_on_the_source() {
    // the aborted pre-copy's job still holds the source's domain: its job statistics time out
    // while its state answers that the VM runs
    CountDownLatch never = new CountDownLatch(1);
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          jobUnreadable(a, "a");
          await(never);
        };
    MigrationEngine e = engineLettingGoOfStuckCalls();

    MigrationOutcome out =
        e.migrate(autoConverging(Duration.ofMillis(500)), MigrationListener.NONE);

    never.countDown();
    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    assertEquals(VmState.RUNNING, a.state("vm"));
  }

  @Test
  void a_host_whose_job_cannot_be_read_is_still_reachable_and_nothing_is_decided_on_it() {
    a.running("vm");
    a.progressFailure =
        new MigrationException(FailureKind.HOST_FAILED, "job statistics timed out (fake)");
    try (BoundedCalls calls = new BoundedCalls(Duration.ofSeconds(1))) {
      RunRecovery r = new RunRecovery(a, b, cluster, "vm", Optional.empty(), calls, fast);

      HostView seen = r.observe(a);

      assertTrue(seen.reachable(), seen.toString());
      assertEquals(VmState.RUNNING, seen.status().state());
      assertTrue(seen.jobActive(), "a job that cannot be read may be in flight: " + seen);
    }
  }

  /** Clears {@code h}'s job-statistics failure after {@code ms} (its daemon answers again). */
  private static void clearLater(FakeHypervisor h, long ms) {
    CompletableFuture.runAsync(
        () -> {
          try {
            Thread.sleep(ms);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          h.progressFailure = null;
        });
  }

  // defect 5

  @Test
  void the_time_spent_measuring_counts_against_the_deadline() {
    a.running("vm");
    a.whileMeasuring = () -> clock.advance(Duration.ofSeconds(10));

    MigrationOutcome out =
        engine.migrate(
            request("vm", Duration.ofSeconds(12), MigrationSettings.defaults(), true),
            MigrationListener.NONE);

    assertEquals(Optional.of(FailureKind.PLAN_MISSES_DEADLINE), out.failure(), out.toString());
    assertTrue(
        out.plan().inputs().deadline().compareTo(Duration.ofSeconds(3)) < 0, out.plan().toString());
    assertFalse(a.called("migrate", "vm"));
  }

  @Test
  void a_source_that_stops_answering_cannot_hold_the_run_past_deadline_and_grace() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.NEVER_RETURNS;
    a.script = vm -> {};
    MigrationRequest req =
        request("vm", Duration.ofMillis(300), MigrationSettings.defaults(), false);
    CompletableFuture.runAsync(
        () -> {
          while (!a.called("migrate", "vm")) {
            Thread.onSpinWait();
          }
          a.hang(); // from now on every call on the source blocks
        });

    long t0 = System.nanoTime();
    MigrationOutcome out =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> engine.migrate(req, MigrationListener.NONE));
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertFalse(out.success(), out.toString());
    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertEquals(
        Optional.empty(), out.runningOn(), "nothing decided while the call is in flight: " + out);
    assertTrue(out.message().contains("left to reconciliation"), out.message());
    assertTrue(ms < 3000, "the run took " + ms + " ms for a 300 ms deadline and a 300 ms grace");
    assertFalse(b.called("remove", "vm"), "touched the destination while the call was in flight");
  }

  // defect 7

  @Test
  void a_second_request_for_a_vm_in_flight_is_refused_and_the_first_is_untouched()
      throws Exception {
    a.running("vm");
    CountDownLatch proceed = new CountDownLatch(1);
    CompletableFuture<MigrationOutcome> first = heldWhileMeasuring("vm", proceed);

    MigrationException second =
        assertThrows(
            MigrationException.class, () -> engine.migrate(request("vm"), MigrationListener.NONE));
    proceed.countDown();

    assertEquals(FailureKind.ALREADY_MIGRATING, second.kind(), second.getMessage());
    MigrationOutcome out = first.get(5, TimeUnit.SECONDS);
    assertTrue(out.success(), out.toString());
    assertTrue(b.hasVolume("vm.qcow2"));
  }

  @Test
  void two_moves_to_one_host_cannot_both_pass_the_room_check() throws Exception {
    a.put("vm1", VmStatus.of(VmState.RUNNING), 3000).put("vm2", VmStatus.of(VmState.RUNNING), 3000);
    CountDownLatch proceed = new CountDownLatch(1);
    CompletableFuture<MigrationOutcome> first = heldWhileMeasuring("vm1", proceed);

    MigrationException second =
        assertThrows(
            MigrationException.class, () -> engine.migrate(request("vm2"), MigrationListener.NONE));
    proceed.countDown();

    assertEquals(FailureKind.NO_ROOM, second.kind(), second.getMessage());
    assertTrue(second.getMessage().contains("3000 MiB reserved"), second.getMessage());
    assertTrue(first.get(5, TimeUnit.SECONDS).success());
    // the reservation ends with the move: vm1 now really runs on b, and vm2 still does not fit
    assertEquals(
        FailureKind.NO_ROOM,
        assertThrows(
                MigrationException.class,
                () -> engine.migrate(request("vm2"), MigrationListener.NONE))
            .kind());
    b.remove("vm1");
    assertTrue(engine.migrate(request("vm2"), MigrationListener.NONE).success());
  }

  /**
   * An engine that stops waiting for a migrate call 300 ms past the deadline, long before its 20 s
   * grace: libvirt's call may wait for a cut destination for minutes.
   */
  private MigrationEngine engineLettingGoOfStuckCalls() {
    RunTimings stuck =
        new RunTimings(
                Duration.ofMillis(100),
                Duration.ofSeconds(20),
                Duration.ofMillis(100),
                Duration.ofMillis(500))
            .withStuckCallExit(Duration.ofMillis(300));
    return new MigrationEngine(
        cluster.endpoints(), new MigrationPlanner(0.8, Duration.ZERO), cluster, clock, stuck);
  }

  /**
   * Starts moving {@code vm} from a to b and returns once that move holds in its first measurement,
   * where it stays until {@code proceed} opens.
   */
  private CompletableFuture<MigrationOutcome> heldWhileMeasuring(String vm, CountDownLatch proceed)
      throws InterruptedException {
    CountDownLatch measuring = new CountDownLatch(1);
    AtomicInteger measures = new AtomicInteger();
    a.whileMeasuring =
        () -> {
          if (measures.incrementAndGet() == 1) {
            measuring.countDown();
            await(proceed);
          }
        };
    CompletableFuture<MigrationOutcome> move =
        CompletableFuture.supplyAsync(() -> engine.migrate(request(vm), MigrationListener.NONE));
    assertTrue(measuring.await(5, TimeUnit.SECONDS), "the move did not reach its measurement");
    return move;
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
