package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8's deadline rule for a standing copy's flush (issue 12): like a move, a flush that cannot
 * finish is reported by the caller's flush deadline, the engine's safety margin taken off it, and
 * truthfully (the VM where it runs, nothing resumed while the other side might run). The engine is
 * {@link PostCopyDeadlineTest}'s, its default timings scaled down five times (a 1 s margin).
 */
class StandingCopyDeadlineTest {

  final FakeCluster cluster = new FakeCluster("a", "b");
  final FakeHypervisor a = cluster.host("a");
  final FakeHypervisor b = cluster.host("b");
  final TestClock clock = new TestClock();
  final MigrationEngine engine = PostCopyDeadlineTest.scaledEngine(cluster, clock);

  @AfterEach
  void release() {
    a.release();
    b.release();
    cluster.releaseAll();
  }

  /** What the caller saw: the outcome and how long after the flush deadline it came. */
  record Seen(MigrationOutcome outcome, Duration afterDeadline) {}

  /**
   * A copy standing with 2 MiB pending at 10 MiB/s: a 200 ms pause that fits the flush's 400 ms
   * budget, so the flush is tried, not refused.
   */
  StandingCopyHandle standing() throws Exception {
    a.pendingBytes = 2L << 20;
    StandingCopyHandle h =
        engine.keepStandingCopy(
            StandingCopyTest.request("vm", MigrationSettings.defaults()), MigrationListener.NONE);
    long until = System.nanoTime() + 5_000_000_000L;
    while ((h.state() != StandingCopyHandle.State.STANDING
            || h.lastProgress().map(p -> p.iteration() < 5).orElse(true))
        && System.nanoTime() < until
        && !h.outcome().isDone()) {
      Thread.sleep(5);
    }
    assertEquals(StandingCopyHandle.State.STANDING, h.state());
    return h;
  }

  /**
   * Flushes with a deadline 1.5 s away; an outcome still missing 3 s past it is fetched by moving
   * the engine's clock on 500 ms at a time.
   */
  Seen flush(StandingCopyHandle h) throws Exception {
    Instant deadline = clock.instant().plus(Duration.ofMillis(1500));
    CompletableFuture<MigrationOutcome> pending = h.flush(deadline);
    CompletableFuture<Instant> came = pending.handle((o, e) -> clock.instant());
    MigrationOutcome out = clock.awaitMovingOn(pending, Duration.ofMillis(4500));
    Duration after = Duration.between(deadline, came.get(5, TimeUnit.SECONDS));
    System.out.println(
        "[standing-copy-deadline] outcome "
            + after.toMillis()
            + " ms after the flush deadline: "
            + out);
    return new Seen(out, after);
  }

  static void assertByTheDeadline(Seen seen) {
    assertTrue(
        seen.afterDeadline().isNegative() || seen.afterDeadline().isZero(),
        "the outcome came "
            + seen.afterDeadline().toMillis()
            + " ms after the caller's flush deadline: "
            + seen.outcome());
  }

  @Test
  void a_flush_whose_pages_never_fit_is_aborted_and_reported_by_the_flush_deadline()
      throws Exception {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.STANDS;
    a.switchesOverAt = Duration.ofHours(1); // the dirty pages never fit: QEMU never switches over
    StandingCopyHandle h = standing();

    Seen seen = flush(h);

    MigrationOutcome out = seen.outcome();
    assertByTheDeadline(seen);
    assertFalse(out.success(), out.toString());
    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    assertEquals(VmState.RUNNING, a.state("vm"));
    assertEquals(VmState.ABSENT, b.state("vm"));
    assertFalse(b.hasVolume("vm.qcow2"), "the backup's overlay was left behind");
  }

  @Test
  void a_flush_whose_backup_stops_answering_is_reported_by_the_flush_deadline() throws Exception {
    // the backup host goes silent at the notice: the stream stops sending, libvirt's call never
    // returns, and every state read of the backup blocks
    a.running("vm").behaviour = FakeHypervisor.Behaviour.NEVER_RETURNS;
    StandingCopyHandle h = standing();
    a.jobReport = FakeHypervisor.stalledAt(6);
    b.hang();

    Seen seen = flush(h);

    MigrationOutcome out = seen.outcome();
    assertByTheDeadline(seen);
    assertFalse(out.success(), out.toString());
    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    // a pre-copy never resumes the backup's copy: after the abort the VM runs on the source, and
    // the silent backup is left to reconciliation, nothing on it resumed or removed
    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    assertTrue(out.message().contains("left to reconciliation"), out.message());
    b.release();
    assertFalse(b.called("remove", "vm") || b.called("resume", "vm"), b.log().toString());
    assertFalse(a.called("resume", "vm") || a.called("remove", "vm"), a.log().toString());
    assertEquals(VmState.RUNNING, a.state("vm"));
  }

  @Test
  void a_flush_whose_source_stops_answering_at_the_notice_is_reported_by_the_flush_deadline()
      throws Exception {
    // the source host goes silent at the notice, while the stream's job statistics are being
    // read: the read, the raised limit and the abort all block, and libvirt's call never returns
    a.running("vm").behaviour = FakeHypervisor.Behaviour.STANDS;
    a.switchesOverAt = Duration.ofHours(1);
    StandingCopyHandle h = standing();
    a.hang();
    Thread.sleep(50); // a job-statistics read is under way when the flush comes

    Seen seen = flush(h);

    MigrationOutcome out = seen.outcome();
    assertByTheDeadline(seen);
    assertFalse(out.success(), out.toString());
    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertTrue(out.message().contains("a did not answer"), out.message());
    // whether the VM still runs on the silent source is not known: no copy is claimed, and the
    // backup's paused copy is neither resumed nor removed while the source might run
    assertEquals(Optional.empty(), out.runningOn(), out.toString());
    assertFalse(b.called("resume", "vm") || b.called("remove", "vm"), b.log().toString());
    assertTrue(b.hasVolume("vm.qcow2"), "the backup's overlay was removed");
    a.release();
    assertFalse(a.called("resume", "vm") || a.called("remove", "vm"), a.log().toString());
    assertEquals(VmState.RUNNING, a.state("vm"));
  }
}
