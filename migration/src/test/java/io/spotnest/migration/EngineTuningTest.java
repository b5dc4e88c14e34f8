package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 3 in the engine: it runs the tuning {@link TuningChoice} picks and reports it in the
 * outcome.
 */
class EngineTuningTest {

  final FakeCluster cluster = new FakeCluster("a", "b");
  final FakeHypervisor a = cluster.host("a");
  final FakeHypervisor b = cluster.host("b");
  final TestClock clock = new TestClock();
  final MigrationEngine engine = cluster.engine(clock, Duration.ofMillis(500));

  @AfterEach
  void release() {
    cluster.releaseAll();
  }

  /** A 256 MiB guest over a 100 MiB/s link (80 MiB/s usable): its first pass takes 3.2 s. */
  MigrationRequest request(
      Duration deadline, boolean autoConverge, PostCopyPolicy postCopy, boolean refuse) {
    return new MigrationRequest(
        "vm",
        "a",
        "b",
        100L << 20,
        clock.instant().plus(deadline),
        MigrationSettings.defaults()
            .withPollInterval(Duration.ofMillis(10))
            .withAutoConverge(autoConverge)
            .withPostCopy(postCopy),
        refuse);
  }

  @Test
  void a_fast_dirtier_with_a_small_measured_working_set_is_planned_to_converge_by_pre_copy() {
    // 120 MiB/s outruns the 80 MiB/s usable, but over 16 MiB: each pass after the first re-sends
    // those 16 MiB, 0.2 s of link, within the 300 ms downtime limit
    a.running("vm").dirtyBytesPerSecond = 120L << 20;
    MigrationRequest req = request(Duration.ofMinutes(1), false, PostCopyPolicy.never(), true);

    TuningChoice unmeasured = engine.plan(req);
    a.workingSetBytes = 16L << 20;
    TuningChoice measured = engine.plan(req);

    assertFalse(unmeasured.fits(), unmeasured.toString());
    assertEquals(256L << 20, unmeasured.plan().inputs().workingSetBytes());
    assertTrue(measured.fits(), measured.toString());
    assertEquals(Tuning.PRE_COPY, measured.tuning());
    assertEquals(16L << 20, measured.plan().inputs().workingSetBytes());
  }

  @Test
  void the_dirty_rate_is_read_for_at_most_a_quarter_of_the_time_left_and_at_most_a_minute() {
    a.running("vm");
    engine.plan(request(Duration.ofMinutes(2), false, PostCopyPolicy.never(), false));
    assertTrue(
        a.longestMeasure.compareTo(Duration.ofSeconds(29)) > 0
            && a.longestMeasure.compareTo(Duration.ofSeconds(30)) <= 0,
        a.longestMeasure.toString());
    engine.plan(request(Duration.ofMinutes(10), false, PostCopyPolicy.never(), false));
    assertEquals(Duration.ofMinutes(1), a.longestMeasure);
    engine.plan(request(Duration.ofSeconds(8), false, PostCopyPolicy.never(), false));
    assertEquals(
        DirtyRateMeter.LEAST, a.longestMeasure, "never less than one reading and the longer one");
  }

  @Test
  void the_dirty_rate_reads_a_quarter_of_what_the_zero_page_sample_left() {
    // under load the zero-page sample took 1.9-4.1 s of a 16.5 s budget before the dirty rate's
    // quarter was taken of the time it had not yet spent
    a.running("vm");
    a.whileSamplingZeroPages = () -> clock.advance(Duration.ofSeconds(8));
    engine.plan(request(Duration.ofSeconds(40), false, PostCopyPolicy.never(), false));
    assertTrue(
        a.longestMeasure.compareTo(Duration.ofMillis(7900)) > 0
            && a.longestMeasure.compareTo(Duration.ofSeconds(8)) <= 0,
        "a quarter of the 32 s left after the zero-page sample: " + a.longestMeasure);
  }

  @Test
  void without_a_working_set_the_post_copy_tail_is_what_the_longer_calculation_saw_changed() {
    // the bench's summary case: a 256 MiB guest (half of it non-zero) dirtying 32 MiB/s over a
    // 64 MiB working set, 200 Mbit/s, deadline twice the bound. The budget fits one one-second
    // calculation (16 sampled pages changed) and the 3 s one (the working set's 32; QEMU reports
    // 21 MiB/s): the rate of one second predicts 51, too uncertain a shortfall to show the working
    // set. Before: the tail was planned as every page the first pass's writes could touch, 34 MiB/s
    // times the pass (228 MiB), though the guest was seen to change 64 MiB in 3 s
    a.running("vm").nonZeroFraction = 0.5;
    java.util.List<Integer> made = new java.util.ArrayList<>();
    long[] nanos = {0};
    a.calculations =
        (vm, seconds) -> {
          made.add(seconds);
          nanos[0] += Duration.ofSeconds(seconds).plusMillis(200).toNanos();
          return new DirtyRateReading(DirtyRateReading.MEASURED, seconds == 1 ? 32 : 21, seconds);
        };
    a.calculationNanos = () -> nanos[0];
    MigrationRequest req =
        new MigrationRequest(
            "vm",
            "a",
            "b",
            25_000_000L,
            clock.instant().plus(Duration.ofMillis(21_474)),
            MigrationSettings.defaults().withPostCopy(PostCopyPolicy.whenNeeded()),
            false);

    TuningChoice choice = engine.plan(req);

    assertEquals(java.util.List.of(1, DirtyRateMeter.SPAN_SECONDS), made);
    assertEquals(Tuning.POST_COPY, choice.tuning(), choice.toString());
    MigrationInputs in = choice.plan().inputs();
    assertEquals(in.ramBytes(), in.workingSetBytes(), "no working set shows: " + in);
    double firstPass =
        in.diskBytes()
            + in.nonZeroRamBytes()
            + (in.ramBytes() - in.nonZeroRamBytes())
                / 4096.0
                * MigrationPlanner.ZERO_PAGE_RECORD_BYTES;
    double pass = firstPass / (0.8 * 25_000_000L); // FakeCluster's planner: 80 % of the link
    double tail = choice.plan().predictedBytes() - firstPass;
    double seen = 64L << 20; // 32 sampled pages of 2 MiB changed in 3 s
    // a guest that changed `seen` in 3 s changes at most `seen` per 3 s in a longer pass (what
    // changes in a window grows ever more slowly with the window), and no less than `seen` in one
    // of 3 s or more
    assertTrue(
        tail >= seen && tail <= seen * Math.max(1, pass / 3) * 1.001,
        String.format(
            "tail %.0f MiB after a pass of %.2f s; the guest changed 64 MiB in 3 s: %s",
            tail / 1048576, pass, choice));
  }

  @Test
  void a_guest_that_converges_moves_by_plain_pre_copy_though_auto_converge_is_permitted() {
    a.running("vm"); // dirties 1 MiB/s

    MigrationOutcome out =
        engine.migrate(
            request(Duration.ofMinutes(1), true, PostCopyPolicy.whenNeeded(), true),
            MigrationListener.NONE);

    assertTrue(out.success(), out.toString());
    assertEquals(Tuning.PRE_COPY, out.tuning(), out.toString());
    assertFalse(a.migrateSettings.get("vm").autoConverge(), "the guest was throttled for nothing");
    assertTrue(
        a.migrateSettings.get("vm").postCopy().allowed(),
        "post-copy stays available as a fallback");
    assertFalse(out.postCopy());
  }

  @Test
  void a_guest_that_never_converges_moves_by_post_copy_when_the_policy_allows_it() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.COMPLETES_AFTER_POST_COPY_SWITCH;
    a.dirtyBytesPerSecond = 200L << 20;

    MigrationListener firstPassDone =
        new MigrationListener() {
          @Override
          public void onPhase(MigrationPhase phase) {
            if (phase == MigrationPhase.COPYING) {
              clock.advance(Duration.ofSeconds(4)); // the planned first pass (3.2 s) is over
            }
          }
        };

    MigrationOutcome out =
        engine.migrate(
            request(Duration.ofMinutes(1), false, PostCopyPolicy.whenNeeded(), true),
            firstPassDone);

    assertTrue(out.success(), out.toString());
    assertEquals(Tuning.POST_COPY, out.tuning(), out.toString());
    assertTrue(out.postCopy(), out.toString());
    assertTrue(out.plan().usesPostCopy(), out.plan().toString());
    assertTrue(
        a.migrateSettings.get("vm").postCopy().switchAfter().compareTo(Duration.ofSeconds(4)) < 0,
        "the switch was not planned after the first pass: " + a.migrateSettings.get("vm"));
  }

  @Test
  void a_post_copy_move_switches_when_qemu_starts_the_second_pass_not_at_the_planned_time() {
    // the plan puts the switch at the end of the first pass (3.2 s here; on the lab the calibrated
    // set-up, start and finish alike, came on top): the copy may finish its first pass sooner, and
    // every pre-copy pass after it re-sends the working set that post-copy then pulls again
    a.running("vm").behaviour = FakeHypervisor.Behaviour.COMPLETES_AFTER_POST_COPY_SWITCH;
    a.dirtyBytesPerSecond = 200L << 20;
    long[] copyingAt = {-1};
    long[] switchedAt = {-1};
    MigrationListener phases =
        new MigrationListener() {
          @Override
          public void onPhase(MigrationPhase phase) {
            if (phase == MigrationPhase.COPYING) {
              copyingAt[0] = System.nanoTime();
            } else if (phase == MigrationPhase.POST_COPY && switchedAt[0] < 0) {
              switchedAt[0] = System.nanoTime();
            }
          }
        };

    MigrationOutcome out =
        engine.migrate(
            request(Duration.ofMinutes(1), false, PostCopyPolicy.whenNeeded(), true), phases);

    assertTrue(out.success() && out.postCopy(), out.toString());
    assertTrue(switchedAt[0] > 0, "never switched: " + out);
    long afterMs = (switchedAt[0] - copyingAt[0]) / 1_000_000;
    assertTrue(
        afterMs < 1000,
        "switched "
            + afterMs
            + " ms into the copy, though QEMU reported its second pass after a few samples; plan: "
            + out.plan());
  }

  @Test
  void when_no_permitted_tuning_fits_the_move_is_refused_up_front_with_each_reason() {
    a.running("vm");
    a.dirtyBytesPerSecond = 200L << 20;

    MigrationOutcome out =
        engine.migrate(
            request(Duration.ofMinutes(1), false, PostCopyPolicy.never(), true),
            MigrationListener.NONE);

    assertEquals(Optional.of(FailureKind.PLAN_MISSES_DEADLINE), out.failure(), out.toString());
    assertEquals(Tuning.NONE, out.tuning());
    assertTrue(
        out.message().contains("pre-copy: ")
            && out.message().contains("auto-converge: not permitted")
            && out.message().contains("post-copy: not allowed"),
        out.message());
    assertFalse(a.called("migrate", "vm"));
    assertEquals(VmState.RUNNING, a.state("vm"));
  }

  @Test
  void
      a_pre_copy_slower_than_planned_switches_to_post_copy_when_the_rest_no_longer_fits_the_time_left() {
    // planned at 3.2 s, but the job reports 10 MiB/s with 64 MiB to go: 6.4 s more against a 5 s
    // deadline
    a.running("vm").behaviour = FakeHypervisor.Behaviour.COMPLETES_AFTER_POST_COPY_SWITCH;

    long t0 = System.nanoTime();
    MigrationOutcome out =
        engine.migrate(
            request(Duration.ofSeconds(5), true, PostCopyPolicy.whenNeeded(), false),
            MigrationListener.NONE);
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertTrue(out.success(), out.toString());
    assertEquals(Tuning.PRE_COPY, out.tuning(), out.toString());
    assertTrue(out.postCopy(), "no switch: " + out);
    assertTrue(out.message().contains("switched to post-copy"), out.message());
    assertTrue(ms < 2000, "the switch waited " + ms + " ms");
  }

  @Test
  void the_remaining_time_never_switches_when_the_policy_forbids_post_copy() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.COMPLETES_AFTER_POST_COPY_SWITCH;

    MigrationOutcome out =
        engine.migrate(
            request(Duration.ofSeconds(1), true, PostCopyPolicy.never(), false),
            MigrationListener.NONE);

    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertFalse(a.called("startPostCopy", "vm"));
    assertEquals(VmState.RUNNING, a.state("vm"));
  }

  @Test
  void nothing_switches_to_post_copy_once_the_deadline_abort_was_sent() {
    a.running("vm").behaviour =
        FakeHypervisor.Behaviour.NEVER_RETURNS; // the abort does not end the call

    MigrationOutcome out =
        engine.migrate(
            request(Duration.ofMillis(1), true, PostCopyPolicy.after(Duration.ZERO), false),
            MigrationListener.NONE);

    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertTrue(a.called("abortJob", "vm"));
    assertFalse(
        a.called("startPostCopy", "vm"), "switched to post-copy after aborting: " + a.log());
  }
}
