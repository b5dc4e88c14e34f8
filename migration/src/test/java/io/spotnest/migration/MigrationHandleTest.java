package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The background API: phases off the watch thread, a cancel that aborts, refusals on the handle.
 */
class MigrationHandleTest {

  final FakeCluster cluster = new FakeCluster("a", "b");
  final FakeHypervisor a = cluster.host("a");
  final FakeHypervisor b = cluster.host("b");
  final TestClock clock = new TestClock();
  final MigrationEngine engine = cluster.engine(clock, Duration.ofSeconds(2));

  @AfterEach
  void release() {
    cluster.releaseAll();
  }

  /** Records phases and the threads they arrive on. */
  static final class Recorder implements MigrationListener {
    final List<MigrationPhase> phases = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void onPhase(MigrationPhase phase) {
      phases.add(phase);
      threads.add(Thread.currentThread().getName());
    }

    @Override
    public void onProgress(MigrationProgress p) {
      threads.add(Thread.currentThread().getName());
    }
  }

  @Test
  void a_post_copy_move_reports_its_phases_in_order_off_the_watch_thread() throws Exception {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.COMPLETES_AFTER_POST_COPY_SWITCH;
    Recorder r = new Recorder();
    MigrationRequest req =
        MigrationEngineTest.request("vm", clock.instant().plus(Duration.ofMinutes(1)));
    req =
        new MigrationRequest(
            req.vmName(),
            req.source(),
            req.destination(),
            req.linkBytesPerSecond(),
            req.deadline(),
            req.settings().withPostCopy(PostCopyPolicy.after(Duration.ZERO)),
            true);

    MigrationHandle h = engine.start(req, r);
    MigrationOutcome out = h.outcome().get(10, TimeUnit.SECONDS);

    assertTrue(out.success(), out.toString());
    assertEquals(
        List.of(
            MigrationPhase.PREPARING,
            MigrationPhase.COPYING,
            MigrationPhase.POST_COPY,
            MigrationPhase.SWITCHING,
            MigrationPhase.DONE),
        r.phases);
    assertEquals(MigrationPhase.DONE, h.phase());
    assertTrue(
        r.threads.stream().allMatch(t -> t.equals("spotnest-events-vm")), r.threads.toString());
  }

  @Test
  void cancel_aborts_the_copy_and_the_vm_stays_on_the_source() throws Exception {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.RUNS_UNTIL_ABORTED;
    Recorder r = new Recorder();
    MigrationHandle h =
        engine.start(
            MigrationEngineTest.request("vm", clock.instant().plus(Duration.ofMinutes(1))), r);
    long until = System.nanoTime() + 5_000_000_000L;
    while (h.phase() != MigrationPhase.COPYING && System.nanoTime() < until) {
      Thread.sleep(5);
    }

    h.cancel();
    MigrationOutcome out = h.outcome().get(10, TimeUnit.SECONDS);

    assertEquals(Optional.of(FailureKind.CANCELLED), out.failure(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn());
    assertTrue(a.called("abortJob", "vm"));
    assertEquals(VmState.RUNNING, a.state("vm"));
    assertEquals(VmState.ABSENT, b.state("vm"));
    assertFalse(b.hasVolume("vm.qcow2"));
    assertTrue(
        r.phases.containsAll(
            List.of(MigrationPhase.ABORTING, MigrationPhase.RECOVERING, MigrationPhase.DONE)),
        r.phases.toString());
  }

  @Test
  void a_refusal_completes_the_handle_exceptionally_and_frees_the_vm() {
    MigrationHandle h =
        engine.start(
            MigrationEngineTest.request("absent", clock.instant().plus(Duration.ofMinutes(1))),
            MigrationListener.NONE);

    ExecutionException e =
        assertThrows(ExecutionException.class, () -> h.outcome().get(5, TimeUnit.SECONDS));

    assertEquals(
        FailureKind.VM_NOT_RUNNING,
        assertInstanceOf(MigrationException.class, e.getCause()).kind());
    a.running("absent");
    assertTrue(
        engine
            .migrate(
                MigrationEngineTest.request("absent", clock.instant().plus(Duration.ofMinutes(1))),
                MigrationListener.NONE)
            .success(),
        "the VM was left claimed");
  }
}
