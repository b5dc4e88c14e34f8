package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A network failure after the post-copy switch (issue 8, item 6), against fake hosts: the VM is
 * never lost while its source lives, and never resumed or removed on one side alone.
 */
class PostCopyRecoveryTest {

  final FakeCluster cluster = new FakeCluster("a", "b");
  final FakeHypervisor a = cluster.host("a");
  final FakeHypervisor b = cluster.host("b");
  final TestClock clock = new TestClock();
  final RunTimings fast =
      new RunTimings(
              Duration.ofMillis(100),
              Duration.ofMillis(300),
              Duration.ofMillis(100),
              Duration.ofMillis(500))
          .withProbeInterval(Duration.ofMillis(50));
  final MigrationEngine engine =
      new MigrationEngine(
          cluster.endpoints(), new MigrationPlanner(0.8, Duration.ZERO), cluster, clock, fast);
  final List<MigrationPhase> phases = new CopyOnWriteArrayList<>();
  final MigrationListener recorder =
      new MigrationListener() {
        @Override
        public void onPhase(MigrationPhase p) {
          phases.add(p);
        }
      };

  @AfterEach
  void release() {
    cluster.releaseAll();
  }

  MigrationOutcome migrate(Duration deadline) {
    MigrationSettings s =
        MigrationSettings.defaults()
            .withPostCopy(PostCopyPolicy.after(Duration.ZERO))
            .withPollInterval(Duration.ofMillis(10));
    return engine.migrate(
        new MigrationRequest("vm", "a", "b", 100L << 20, clock.instant().plus(deadline), s, false),
        recorder);
  }

  /** Makes the host unreachable now and reachable again after {@code ms} (a cut link). */
  static void cut(FakeHypervisor h, long ms) {
    h.reachable(false);
    DaemonThreads.start(
        "link-restore",
        () -> {
          try {
            Thread.sleep(ms);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          h.reachable(true);
        });
  }

  @Test
  void a_link_cut_after_the_switch_is_resumed_once_it_is_back_and_the_vm_completes_there() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.POST_COPY_BREAKS;
    a.postCopyFault = () -> cut(b, 500);

    MigrationOutcome out = migrate(Duration.ofMinutes(1));

    assertTrue(out.success(), out.toString());
    assertTrue(out.postCopy(), out.toString());
    assertEquals(Optional.of("b"), out.runningOn(), out.toString());
    assertEquals(List.of("b"), a.resumes, "post-copy resumes");
    assertEquals(VmStatus.of(VmState.RUNNING, VmStatus.Reason.MIGRATED), b.status("vm"));
    assertEquals(VmState.ABSENT, a.state("vm"));
    assertFalse(a.called("resume", "vm"), "the source was resumed on its own");
    assertFalse(b.called("resume", "vm"), "the destination was resumed on its own");
    assertFalse(b.called("remove", "vm"), "the destination's copy was removed");
    assertTrue(out.message().contains("resumed with libvirt's post-copy resume"), out.message());
    assertEquals(1, out.postCopyResumes(), out.toString());
    assertTrue(out.toString().contains("post-copy resumed 1x"), out.toString());
    int recovering = phases.indexOf(MigrationPhase.RECOVERING);
    assertTrue(
        recovering > 0
            && phases.subList(recovering, phases.size()).contains(MigrationPhase.POST_COPY),
        "phases: " + phases);
  }

  @Test
  void a_resume_the_destination_refuses_at_first_is_tried_again() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.POST_COPY_BREAKS;
    a.postCopyFault = () -> cut(b, 200);
    AtomicInteger tries = new AtomicInteger();
    a.onResume =
        vm -> {
          if (tries.incrementAndGet() == 1) {
            throw new MigrationException(
                FailureKind.HYPERVISOR_ERROR, "QEMU reports migration is still running (fake)");
          }
        };

    MigrationOutcome out = migrate(Duration.ofMinutes(1));

    assertTrue(out.success(), out.toString());
    assertEquals(List.of("b", "b"), a.resumes, "post-copy resumes");
    assertEquals(2, out.postCopyResumes(), "resume calls in the outcome: " + out);
    assertEquals(VmState.RUNNING, b.state("vm"));
  }

  @Test
  void a_source_gone_after_the_switch_loses_the_vm_with_its_host_and_leaves_nothing_behind() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.POST_COPY_BREAKS;
    a.postCopyFault = () -> a.reachable(false); // reclaimed: it never answers again
    long started = System.nanoTime();

    MigrationOutcome out = migrate(Duration.ofMillis(1500));

    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertFalse(out.success(), out.toString());
    assertEquals(Optional.of(FailureKind.HOST_FAILED), out.failure(), out.toString());
    assertEquals(Optional.empty(), out.runningOn(), out.toString());
    assertTrue(out.message().contains("lost with its source host a"), out.message());
    assertEquals(VmState.ABSENT, b.state("vm"), "the incomplete copy is left on b");
    assertFalse(b.hasVolume("vm.qcow2"), "its overlay is left on b");
    assertTrue(a.resumes.isEmpty(), "resumed without a source");
    assertFalse(b.called("resume", "vm"), "the destination was resumed on its own");
    assertTrue(tookMs >= 1000, "gave up before the deadline: " + tookMs + " ms");
    assertTrue(tookMs < 5000, "probed far past the deadline: " + tookMs + " ms");
  }

  @Test
  void a_link_still_down_at_the_deadline_leaves_both_copies_whole() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.POST_COPY_BREAKS;
    a.postCopyFault = () -> b.reachable(false);

    MigrationOutcome out = migrate(Duration.ofMillis(1000));

    assertFalse(out.success(), out.toString());
    assertEquals(Optional.empty(), out.runningOn(), out.toString());
    assertTrue(a.resumes.isEmpty(), "resumed with the destination unseen");
    assertEquals(0, out.postCopyResumes(), out.toString());
    b.reachable(true);
    assertEquals(VmStatus.of(VmState.PAUSED, VmStatus.Reason.POSTCOPY_FAILED), a.status("vm"));
    assertEquals(VmStatus.of(VmState.RUNNING, VmStatus.Reason.POSTCOPY_FAILED), b.status("vm"));
    assertFalse(a.called("remove", "vm") || b.called("remove", "vm"), "a copy was removed");
    assertFalse(a.called("resume", "vm") || b.called("resume", "vm"), "a copy resumed alone");
  }
}
