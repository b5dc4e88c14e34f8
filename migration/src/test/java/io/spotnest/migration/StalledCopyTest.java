package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A copy that sends nothing (CI, MigrationFailureLabTest: "stayed on hosta in 109.61 s, 0 MiB
 * memory + 0 MiB disk, 0 passes", libvirt's call stuck past the abort): the outcome says what the
 * engine saw of the source's job and of both hosts, so such a run can be told apart afterwards.
 */
class StalledCopyTest {

  final FakeCluster cluster = new FakeCluster("a", "b");
  final FakeHypervisor a = cluster.host("a");
  final FakeHypervisor b = cluster.host("b");
  final TestClock clock = new TestClock();
  final CountDownLatch never = new CountDownLatch(1);

  /**
   * A stuck call is left 300 ms after the abort; a copy sending nothing is looked at after 150 ms.
   */
  final MigrationEngine engine =
      new MigrationEngine(
          cluster.endpoints(),
          new MigrationPlanner(0.8, Duration.ZERO),
          cluster,
          clock,
          new RunTimings(
                  Duration.ofMillis(100),
                  Duration.ofSeconds(20),
                  Duration.ofMillis(100),
                  Duration.ofMillis(500))
              .withStuckCallExit(Duration.ofMillis(300))
              .withStallLook(Duration.ofMillis(150)));

  @AfterEach
  void release() {
    never.countDown();
    cluster.releaseAll();
  }

  MigrationOutcome move() {
    return engine.migrate(
        new MigrationRequest(
            "vm",
            "a",
            "b",
            100L << 20,
            clock.instant().plus(Duration.ofSeconds(1)),
            MigrationSettings.defaults()
                .withPostCopy(PostCopyPolicy.after(Duration.ofMillis(100)))
                .withPollInterval(Duration.ofMillis(10)),
            false),
        MigrationListener.NONE);
  }

  /** libvirt's migration job on the source while it is still setting the copy up: no bytes. */
  static JobStats settingUp() {
    return new JobStats(
        2,
        Map.of(
            "time_elapsed", "800",
            "operation", Integer.toString(JobStats.OPERATION_MIGRATION_OUT),
            "memory_processed", "0",
            "disk_processed", "0"));
  }

  @Test
  void a_job_stuck_in_its_set_up_is_named_with_the_incoming_copy_the_destination_holds() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.jobReport = settingUp();
    a.script = vm -> await(never);

    MigrationOutcome out = move();
    System.out.println("[stalled] " + out);

    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    String m = out.message();
    assertTrue(m.contains("nothing sent "), m);
    assertTrue(m.contains("a's job type 2 (unbounded), operation 5 (migration out)"), m);
    assertTrue(m.contains("memory 0/0 MiB, disk 0/0 MiB"), m);
    assertTrue(m.contains("; a: RUNNING; b: PAUSED(MIGRATION), an incoming copy with its job"), m);
    assertTrue(m.contains(" readings, 0 with no job, 0 unreadable)"), m);
  }

  @Test
  void a_destination_without_the_incoming_copy_is_said_to_hold_none() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.jobReport = settingUp();
    a.script =
        vm -> {
          b.remove(vm); // the destination never got as far as its incoming QEMU
          await(never);
        };

    MigrationOutcome out = move();

    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    assertTrue(out.message().contains("b: no domain of the VM (no incoming copy)"), out.message());
  }

  @Test
  void a_destination_whose_job_cannot_be_read_still_shows_its_copy() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.jobReport = settingUp();
    a.script =
        vm -> {
          b.progressFailure =
              new MigrationException(FailureKind.HOST_FAILED, "job statistics timed out (fake)");
          await(never);
        };

    MigrationOutcome out = move();

    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    assertTrue(
        out.message()
            .contains("b: PAUSED(MIGRATION), its job unreadable (job statistics timed out (fake))"),
        out.message());
  }

  @Test
  void job_statistics_that_cannot_be_read_are_told_from_a_job_that_reads_zero() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          a.progressFailure =
              new MigrationException(
                  FailureKind.HOST_FAILED, "host a did not answer job statistics (fake)");
          await(never);
        };

    MigrationOutcome out = move();

    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    String m = out.message();
    assertTrue(m.contains("no job statistics of a read (0 readings, "), m);
    assertTrue(m.contains("the last: host a did not answer job statistics (fake)"), m);
  }

  @Test
  void a_copy_that_moves_bytes_has_no_such_note() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.RUNS_UNTIL_ABORTED;

    MigrationOutcome out =
        engine.migrate(
            new MigrationRequest(
                "vm",
                "a",
                "b",
                100L << 20,
                clock.instant().plus(Duration.ofSeconds(1)),
                MigrationSettings.defaults().withPollInterval(Duration.ofMillis(10)),
                false),
            MigrationListener.NONE);

    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertTrue(out.memoryBytes() > 0, out.toString());
    assertFalse(out.message().contains("nothing sent"), out.message());
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
