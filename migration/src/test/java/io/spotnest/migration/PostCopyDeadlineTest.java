package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, "a move finishes by its absolute deadline, or is refused up front, or is aborted in
 * time", where libvirt's call never returns: after a post-copy broke (the call itself, or the
 * post-copy resume that followed, stuck, as on the lab under TCG) and after a pre-copy's abort. The
 * engine keeps the grace period libvirt's call is given past the deadline at its real 60 s and a
 * safety margin of 500 ms; the outcome must reach the caller by the caller's own deadline.
 */
class PostCopyDeadlineTest {

  static final Duration MARGIN = Duration.ofMillis(500);

  final FakeCluster cluster = new FakeCluster("a", "b");
  final FakeHypervisor a = cluster.host("a");
  final FakeHypervisor b = cluster.host("b");
  final TestClock clock = new TestClock();
  final RunTimings timings =
      new RunTimings(
              Duration.ofMillis(100),
              RunTimings.defaults().callGrace(),
              Duration.ofMillis(100),
              Duration.ofMillis(500))
          .withStuckCallExit(Duration.ofMillis(300))
          .withProbeInterval(Duration.ofMillis(50));
  final MigrationEngine engine =
      new MigrationEngine(
          cluster.endpoints(),
          new MigrationPlanner(0.8, Duration.ZERO),
          cluster,
          clock,
          timings,
          EngineLimits.defaults().withSafetyMargin(MARGIN));

  /**
   * The engine's default timings scaled down five times: a call may take twice the safety margin
   * (10 s against 5 s) before its host counts as not answering.
   */
  static final Duration SCALED_MARGIN = Duration.ofSeconds(1);

  final MigrationEngine scaled = scaledEngine(cluster, clock);

  /** An engine on {@code cluster} and {@code clock} with the scaled timings and margin. */
  static MigrationEngine scaledEngine(FakeCluster cluster, TestClock clock) {
    return new MigrationEngine(
        cluster.endpoints(),
        new MigrationPlanner(0.8, Duration.ZERO),
        cluster,
        clock,
        new RunTimings(
                Duration.ofSeconds(2),
                RunTimings.defaults().callGrace(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2))
            .withStuckCallExit(Duration.ofMillis(600))
            .withProbeInterval(Duration.ofMillis(50)),
        EngineLimits.defaults().withSafetyMargin(SCALED_MARGIN));
  }

  /** The caller's deadline of the move under way. */
  volatile Instant callerDeadline;

  /** Holds libvirt's stuck calls; opened at the end of each test. */
  final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void release() {
    never.countDown();
    cluster.releaseAll();
  }

  /** What the caller saw: the outcome and when it came, on the engine's clock. */
  record Seen(MigrationOutcome outcome, Duration afterDeadline) {}

  /**
   * Moves "vm" from a to b with a deadline 1.5 s away and returns the outcome with how long after
   * that deadline it came, on the engine's clock. An outcome still missing 3 s past the deadline is
   * fetched by moving that clock on 500 ms at a time (so a minute's wait takes a moment).
   */
  Seen move(MigrationSettings s) throws Exception {
    return move(engine, s);
  }

  /** As {@link #move(MigrationSettings)}, on {@code on}. */
  Seen move(MigrationEngine on, MigrationSettings s) throws Exception {
    Instant deadline = clock.instant().plus(Duration.ofMillis(1500));
    callerDeadline = deadline;
    MigrationHandle h =
        on.start(
            new MigrationRequest(
                "vm",
                "a",
                "b",
                100L << 20,
                deadline,
                s.withPollInterval(Duration.ofMillis(10)),
                false),
            MigrationListener.NONE);
    CompletableFuture<Instant> came = h.outcome().handle((o, e) -> clock.instant());
    MigrationOutcome out =
        clock.awaitMovingOn(
            h.outcome(), Duration.between(clock.instant(), deadline).plusMillis(3000));
    Duration after = Duration.between(deadline, came.get(5, TimeUnit.SECONDS));
    System.out.println(
        "[post-copy-deadline] outcome " + after.toMillis() + " ms after the deadline: " + out);
    return new Seen(out, after);
  }

  static MigrationSettings postCopyAtOnce() {
    return MigrationSettings.defaults().withPostCopy(PostCopyPolicy.after(Duration.ZERO));
  }

  static void assertByTheDeadline(Seen seen) {
    assertTrue(
        seen.afterDeadline().isNegative() || seen.afterDeadline().isZero(),
        "the outcome came "
            + seen.afterDeadline().toMillis()
            + " ms after the caller's deadline: "
            + seen.outcome());
  }

  /**
   * The move failed by the caller's deadline ({@link #assertByTheDeadline}) as {@code
   * DEADLINE_EXCEEDED}, claiming no host the VM runs on, and its message holds each of {@code
   * phrases}.
   */
  static MigrationOutcome assertUnresolvedByTheDeadline(Seen seen, String... phrases) {
    MigrationOutcome out = seen.outcome();
    assertByTheDeadline(seen);
    assertFalse(out.success(), out.toString());
    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertEquals(Optional.empty(), out.runningOn(), out.toString());
    for (String phrase : phrases) {
      assertTrue(out.message().contains(phrase), out.message());
    }
    return out;
  }

  /** Neither copy was resumed or removed on its own: the VM can still be made whole. */
  void assertBothCopiesWhole() {
    assertBothCopiesWhole(VmStatus.Reason.POSTCOPY_FAILED);
  }

  /**
   * As {@link #assertBothCopiesWhole()}, the source paused and the destination running for {@code
   * reason}.
   */
  void assertBothCopiesWhole(VmStatus.Reason reason) {
    assertEquals(VmStatus.of(VmState.PAUSED, reason), a.status("vm"));
    assertEquals(VmStatus.of(VmState.RUNNING, reason), b.status("vm"));
    assertFalse(a.called("resume", "vm") || b.called("resume", "vm"), "a copy resumed alone");
    assertFalse(a.called("remove", "vm") || b.called("remove", "vm"), "a copy was removed");
    assertTrue(b.hasVolume("vm.qcow2"), "the destination's overlay was removed");
  }

  @Test
  void a_post_copy_that_broke_while_libvirts_call_never_returns_is_reported_by_the_deadline()
      throws Exception {
    // the link is cut after the switch: both QEMUs go to postcopy-paused, and libvirt's call waits
    // on the destination for good
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          awaitTheSwitch(vm);
          a.breakPostCopy(vm, b);
          awaitNever();
        };

    Seen seen = move(postCopyAtOnce());

    MigrationOutcome out =
        assertUnresolvedByTheDeadline(
            seen,
            "post-copy broke",
            "split between",
            "a: PAUSED(POSTCOPY_FAILED)",
            "b: RUNNING(POSTCOPY_FAILED)",
            "libvirt's migrate call had not returned",
            "left to reconciliation");
    assertTrue(out.postCopy(), out.toString());
    assertBothCopiesWhole();
  }

  @Test
  void a_post_copy_resume_that_never_returns_is_reported_by_the_deadline() throws Exception {
    // the lab under TCG: the stream breaks, libvirt's call fails, both hosts report the failed
    // post-copy, and the resume is started but never returns (the destination never reads it)
    a.running("vm").behaviour = FakeHypervisor.Behaviour.POST_COPY_BREAKS;
    a.onResume =
        vm -> {
          a.breakPostCopy(vm, b);
          awaitNever();
        };

    Seen seen = move(postCopyAtOnce());

    MigrationOutcome out =
        assertUnresolvedByTheDeadline(
            seen,
            "split between",
            "libvirt's post-copy resume call had not returned",
            "left to reconciliation");
    assertEquals(1, out.postCopyResumes(), out.toString());
    assertBothCopiesWhole();
  }

  @Test
  void a_post_copy_still_in_flight_at_the_deadline_is_waited_for_and_ends_on_the_destination()
      throws Exception {
    // not broken: the source reports the post-copy in flight, so its call gets the grace period
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          awaitTheSwitch(vm);
          pause(1700); // past the caller's deadline
          a.complete(vm, b);
        };

    Seen seen = move(postCopyAtOnce());

    assertTrue(seen.outcome().success(), seen.outcome().toString());
    assertEquals(Optional.of("b"), seen.outcome().runningOn(), seen.outcome().toString());
    assertFalse(
        seen.afterDeadline().isNegative() || seen.afterDeadline().isZero(),
        "completed before the deadline: " + seen);
  }

  @Test
  void a_pre_copy_whose_call_is_stuck_after_the_abort_is_reported_by_the_deadline()
      throws Exception {
    // the destination's link is cut mid pre-copy: QEMU takes the abort and the source runs on,
    // but libvirt's call waits on the destination (RunTimings.stuckCallExit, inside the margin)
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script = vm -> awaitNever();

    Seen seen = move(MigrationSettings.defaults());

    MigrationOutcome out = seen.outcome();
    assertByTheDeadline(seen);
    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    assertEquals(VmState.RUNNING, a.state("vm"));
    assertTrue(out.message().contains("left to reconciliation"), out.message());
  }

  /**
   * Blocks the script until 150 ms before the engine's abort time (the caller's deadline less the
   * margin).
   */
  /**
   * Scripts the move: after the switch, shortly before the abort, the post-copy breaks on both
   * QEMUs, {@code silent} stops answering and libvirt's call never returns.
   */
  private void silentAfterABrokenSwitch(FakeHypervisor silent) {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          awaitTheSwitch(vm);
          untilShortlyBeforeTheAbort();
          a.breakPostCopy(vm, b);
          silent.hang();
          awaitNever();
        };
  }

  /** Waits (10 s at most) until the source switched {@code vm} to post-copy; b then runs it. */
  private void awaitTheSwitch(String vm) {
    long until = System.nanoTime() + 10_000_000_000L;
    while (!a.vm(vm).status.postCopy() && System.nanoTime() < until) {
      pause(5);
    }
    b.vm(vm).status = VmStatus.of(VmState.RUNNING, VmStatus.Reason.POSTCOPY);
  }

  private void untilShortlyBeforeTheAbort() {
    long until = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < until
        && clock
            .instant()
            .isBefore(callerDeadline.minus(SCALED_MARGIN).minus(Duration.ofMillis(150)))) {
      pause(5);
    }
  }

  @Test
  void a_source_that_stops_answering_before_the_pre_copys_abort_is_reported_by_the_deadline()
      throws Exception {
    // the source host goes silent mid pre-copy, shortly before the abort: the abort, the job
    // statistics and the state reads all block, and libvirt's call never returns
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          untilShortlyBeforeTheAbort();
          a.hang();
          awaitNever();
        };

    Seen seen = move(scaled, MigrationSettings.defaults());

    // whether the VM still runs on the silent source is not known: it is not claimed
    assertUnresolvedByTheDeadline(seen, "a did not answer", "left to reconciliation");
    // nothing resumed or removed while the source might run
    assertFalse(b.called("remove", "vm") || b.called("resume", "vm"), b.log().toString());
    assertEquals(VmStatus.of(VmState.PAUSED, VmStatus.Reason.MIGRATION), b.status("vm"));
    assertTrue(b.hasVolume("vm.qcow2"), "the destination's overlay was removed");
    a.release();
    assertFalse(a.called("remove", "vm") || a.called("resume", "vm"), a.log().toString());
    assertEquals(VmState.RUNNING, a.state("vm"));
  }

  @Test
  void a_source_that_stops_answering_after_the_post_copy_switch_is_reported_by_the_deadline()
      throws Exception {
    // the source host goes silent after the switch, shortly before the deadline: the destination's
    // QEMU reports the failed post-copy, the source answers nothing, libvirt's call never returns
    silentAfterABrokenSwitch(a);

    Seen seen = move(scaled, postCopyAtOnce());

    MigrationOutcome out =
        assertUnresolvedByTheDeadline(
            seen,
            "split between",
            "a did not answer",
            "b: RUNNING(POSTCOPY_FAILED)",
            "left to reconciliation");
    assertTrue(out.postCopy(), out.toString());
    a.release();
    assertBothCopiesWhole();
  }

  @Test
  void a_destination_that_stops_answering_after_the_post_copy_switch_is_reported_by_the_deadline()
      throws Exception {
    // the destination host goes silent after the switch, shortly before the deadline: the source's
    // QEMU reports the failed post-copy, the destination answers nothing, libvirt's call never
    // returns; the source's paused copy must not be resumed while the destination might run
    silentAfterABrokenSwitch(b);

    Seen seen = move(scaled, postCopyAtOnce());

    assertUnresolvedByTheDeadline(
        seen, "split between", "b did not answer", "a: PAUSED(POSTCOPY_FAILED)");
    b.release();
    assertBothCopiesWhole();
  }

  @Test
  void a_post_copy_that_stalls_unnoticed_is_reported_by_the_deadline() throws Exception {
    // the stream stops moving after the switch but neither QEMU notices: both hosts show the
    // post-copy in flight, the job statistics stand still, libvirt's call never returns
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          awaitTheSwitch(vm);
          a.jobReport = FakeHypervisor.stalledAt(3);
          awaitNever();
        };

    Seen seen = move(scaled, postCopyAtOnce());

    MigrationOutcome out =
        assertUnresolvedByTheDeadline(
            seen,
            "post-copy stalled",
            "a: PAUSED(POSTCOPY)",
            "b: RUNNING(POSTCOPY)",
            "left to reconciliation");
    assertTrue(out.postCopy(), out.toString());
    assertBothCopiesWhole(VmStatus.Reason.POSTCOPY);
  }

  private void awaitNever() {
    try {
      never.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
