package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 2: after a controller restart the engine attaches to a migration libvirt still runs,
 * enforces its deadline again and reports its outcome. The old controller is played by a bare
 * migrate call on the fake source, left running as a libvirt job is when its controller dies.
 */
class AttachTest {

  final FakeCluster cluster = new FakeCluster("a", "b", "c");
  final FakeHypervisor a = cluster.host("a");
  final FakeHypervisor b = cluster.host("b");
  final TestClock clock = new TestClock();

  /** The restarted controller's engine. */
  final MigrationEngine engine = cluster.engine(clock, Duration.ofMillis(500));

  final UUID uuid = UUID.randomUUID();

  @AfterEach
  void release() {
    cluster.releaseAll();
  }

  /**
   * Starts the job the dead controller left behind: the VM copying from a to b, its overlay already
   * on b.
   */
  CompletableFuture<Void> orphanedMigration() throws InterruptedException {
    a.put("vm", VmStatus.of(VmState.RUNNING), 256, uuid);
    b.createOverlay("vm.qcow2", 64L << 20, "/base.qcow2");
    CompletableFuture<Void> job =
        CompletableFuture.runAsync(
            () -> a.migrate("vm", b.endpoint(), MigrationSettings.defaults()));
    MoveLimitsTest.waitFor(() -> a.vm("vm") != null && a.vm("vm").job, "the orphaned job to run");
    return job;
  }

  /** The engine attaches to vm's migration, with {@code id}, due {@code in} from now. */
  MigrationHandle attach(UUID id, Duration in) {
    return engine.attach("vm", id, 100L << 20, clock.instant().plus(in), MigrationListener.NONE);
  }

  /** The orphaned job's call, once {@code finish} opens (10 s at most), completes on b. */
  void completesOnBWhen(CountDownLatch finish) {
    a.behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          try {
            finish.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          a.complete(vm, b);
        };
  }

  @Test
  void an_attached_migration_is_aborted_at_its_deadline_and_the_vm_stays_whole_on_the_source()
      throws Exception {
    a.behaviour = FakeHypervisor.Behaviour.RUNS_UNTIL_ABORTED;
    CompletableFuture<Void> job = orphanedMigration();

    long t0 = System.nanoTime();
    MigrationHandle h = attach(uuid, Duration.ofMillis(300));
    MigrationOutcome out = h.outcome().get(5, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    assertTrue(a.called("abortJob", "vm"), a.log().toString());
    assertTrue(ms < 2000, "the deadline was enforced after " + ms + " ms");
    assertEquals(VmState.RUNNING, a.state("vm"));
    assertEquals(VmState.ABSENT, b.state("vm"));
    assertFalse(b.hasVolume("vm.qcow2"), "the incoming overlay stayed on the destination");
    assertThrows(
        ExecutionException.class,
        () -> job.get(5, TimeUnit.SECONDS),
        "the orphaned job was aborted");
    assertEquals(MigrationPhase.DONE, h.phase());
  }

  @Test
  void a_destination_that_refuses_job_statistics_is_still_found_as_the_destination()
      throws Exception {
    // libvirt keeps an incoming migration's statistics on the source: on the destination
    // getJobStats fails with
    // "migration statistics are available only on the source host" (found by the lab)
    a.behaviour = FakeHypervisor.Behaviour.RUNS_UNTIL_ABORTED;
    orphanedMigration();
    b.progressFailure =
        new MigrationException(
            FailureKind.HOST_FAILED,
            "cannot read the job of vm on host b: Operation not supported: migration statistics are available only on "
                + "the source host (fake)");

    MigrationOutcome out = attach(uuid, Duration.ofMillis(300)).outcome().get(5, TimeUnit.SECONDS);

    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    assertEquals(VmState.ABSENT, b.state("vm"));
  }

  @Test
  void an_attached_migration_that_completes_is_reported_as_a_success_on_the_destination()
      throws Exception {
    CountDownLatch finish = new CountDownLatch(1);
    completesOnBWhen(finish);
    orphanedMigration();

    MigrationHandle h = attach(uuid, Duration.ofMinutes(1));
    MoveLimitsTest.waitFor(
        () -> h.phase() == MigrationPhase.COPYING, "the attached move to be watched");
    finish.countDown();
    MigrationOutcome out = h.outcome().get(5, TimeUnit.SECONDS);

    assertTrue(out.success(), out.toString());
    assertEquals(Optional.of("b"), out.runningOn());
    assertTrue(out.message().contains("attached"), out.message());
    assertEquals(VmState.RUNNING, b.state("vm"));
    assertEquals(VmState.ABSENT, a.state("vm"));
  }

  @Test
  void a_vm_without_a_migration_job_or_with_another_uuid_is_refused() throws Exception {
    a.put("vm", VmStatus.of(VmState.RUNNING), 256, uuid);

    MigrationException none = refusal(attach(uuid, Duration.ofMinutes(1)));
    assertEquals(FailureKind.INVALID_REQUEST, none.kind());
    assertTrue(none.getMessage().contains("no migration of vm"), none.getMessage());

    a.behaviour = FakeHypervisor.Behaviour.NEVER_RETURNS;
    CompletableFuture.runAsync(() -> a.migrate("vm", b.endpoint(), MigrationSettings.defaults()));
    MoveLimitsTest.waitFor(() -> a.vm("vm").job, "the job to run");
    MigrationException other = refusal(attach(UUID.randomUUID(), Duration.ofMinutes(1)));
    assertTrue(other.getMessage().contains("no migration of vm"), other.getMessage());
    assertFalse(a.called("abortJob", "vm"), "touched another VM's migration");
  }

  @Test
  void a_move_in_post_copy_is_attached_but_never_aborted() throws Exception {
    CountDownLatch finish = new CountDownLatch(1);
    completesOnBWhen(finish);
    orphanedMigration();
    a.startPostCopy("vm"); // the dead controller had switched

    MigrationHandle h = attach(uuid, Duration.ofMillis(1));
    MoveLimitsTest.waitFor(
        () -> h.phase() == MigrationPhase.POST_COPY, "the attached move to be watched");
    Thread.sleep(200); // well past the deadline
    finish.countDown();
    MigrationOutcome out = h.outcome().get(5, TimeUnit.SECONDS);

    assertTrue(out.success(), out.toString());
    assertTrue(out.postCopy(), out.toString());
    assertFalse(a.log().contains("abortJob vm"), "aborted a post-copy migration: " + a.log());
  }

  private static MigrationException refusal(MigrationHandle h) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> h.outcome().get(5, TimeUnit.SECONDS));
    return assertInstanceOf(MigrationException.class, e.getCause());
  }
}
