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
  void the_plan_takes_the_share_of_its_vcpus_the_guest_kept_busy_while_it_was_measured() {
    // a paced writer: 120 MiB/s over 128 MiB with its vCPU busy 5 % of the time, so auto-converge's
    // throttle slows it only past 95 %; a hypervisor that cannot tell counts it busy all the time
    a.running("vm").dirtyBytesPerSecond = 120L << 20;
    a.workingSetBytes = 128L << 20;
    MigrationRequest req = request(Duration.ofMinutes(5), true, PostCopyPolicy.never(), false);

    TuningChoice unknown = engine.plan(req);
    a.vcpuBusyShare = 0.05;
    TuningChoice paced = engine.plan(req);

    assertEquals(1, unknown.plan().inputs().vcpuBusyShare(), 0);
    assertEquals(0.05, paced.plan().inputs().vcpuBusyShare(), 1e-9);
    assertEquals(Tuning.AUTO_CONVERGE, paced.tuning(), paced.toString());
    assertTrue(
        paced.plan().predictedIterations() > unknown.plan().predictedIterations(),
        paced + " vs " + unknown);
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

  /**
   * The lab's calculation: it runs in QEMU once started, so what the caller does meanwhile takes no
   * time of its own unless it outlasts the calculation.
   */
  final class OverlappingCalculations implements DirtyRateMeter.Calculation {
    final java.util.List<String> made = new java.util.ArrayList<>();

    @Override
    public DirtyRateReading run(String vmName, int seconds) {
      return run(vmName, seconds, () -> {});
    }

    @Override
    public DirtyRateReading run(String vmName, int seconds, Runnable meanwhile) {
      java.time.Instant done = clock.instant().plus(Duration.ofSeconds(seconds).plusMillis(200));
      made.add(seconds + " s");
      meanwhile.run();
      Duration rest = Duration.between(clock.instant(), done);
      if (!rest.isNegative()) {
        clock.advance(rest);
      }
      return cyclingGuestReading(seconds);
    }
  }

  @Test
  void the_zero_page_sample_runs_while_the_longer_calculation_does() {
    // the summary case: 16.5 s after the margin, which before went on a zero-page sample (1.9-4.1 s
    // under load), then a 1 s and a 3 s calculation; the sample now reads pages while QEMU's 5 s
    // calculation runs
    a.running("vm").nonZeroFraction = 0.5;
    OverlappingCalculations calc = new OverlappingCalculations();
    a.calculations = calc;
    a.calculationNanos = this::clockNanos;
    a.whileSamplingZeroPages =
        () -> {
          calc.made.add("zero-page sample");
          clock.advance(Duration.ofSeconds(4));
        };
    MigrationRequest req = summaryRequest();
    java.time.Instant before = clock.instant();

    TuningChoice choice = engine.plan(req);

    assertEquals(
        java.util.List.of("1 s", DirtyRateMeter.SPAN_SECONDS + " s", "zero-page sample"),
        calc.made);
    Duration measuring =
        Duration.between(before, req.deadline()).minus(choice.plan().inputs().deadline());
    assertTrue(
        measuring.compareTo(Duration.ofMillis(1200 + DirtyRateMeter.SPAN_SECONDS * 1000 + 300)) < 0,
        "measuring took " + measuring + " (the time left is what it left): " + choice);
  }

  @Test
  void without_a_working_set_the_post_copy_tail_is_what_the_longer_calculation_saw_changed() {
    // a 256 MiB guest (half of it non-zero) dirtying 32 MiB/s over 200 Mbit/s, deadline twice the
    // bound (the bench's summary case). The budget fits one one-second calculation (16 sampled
    // pages changed) and the longer one, which changed 100 MiB: too few short of the rate's
    // prediction to show a working set. Before (fb4b856): the tail was planned as every page the
    // first pass's writes could touch, 34 MiB/s times the pass (228 MiB), though the guest was seen
    // to change less per window
    a.running("vm").nonZeroFraction = 0.5;
    java.util.List<Integer> made = new java.util.ArrayList<>();
    long[] nanos = {0};
    a.calculations =
        (vm, seconds) -> {
          made.add(seconds);
          nanos[0] += Duration.ofSeconds(seconds).plusMillis(200).toNanos();
          // the longer calculation changed 100 MiB (50 samples of the 85 the rate predicts in 5 s:
          // too few short to show a working set)
          return new DirtyRateReading(
              DirtyRateReading.MEASURED, seconds == 1 ? 32 : 100 / seconds, seconds);
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
    // 50 sampled pages of 2 MiB changed in the longer calculation, two standard deviations of
    // their (binomial) count added: 122 MiB
    double seen = (50 + 2 * Math.sqrt(50 * 78 / 128.0)) * (2L << 20);
    int span = DirtyRateMeter.SPAN_SECONDS;
    // a guest that changed `seen` in the window changes at most `seen` per window in a longer pass
    // (what changes in a window grows ever more slowly with the window), and no less than `seen`
    // in one at least as long
    assertTrue(
        tail >= seen && tail <= seen * Math.max(1, pass / span) * 1.001,
        String.format(
            "tail %.0f MiB after a pass of %.2f s; the guest changed 100 MiB (122) in %d s: %s",
            tail / 1048576, pass, span, choice));
  }

  /**
   * The stand-in build of the bench's summary case: it cycles over a 64 MiB working set of its 256
   * MiB at 32 MiB/s, so a calculation over s seconds sees min(64, 32 s) MiB changed, in whole
   * samples of 2 MiB out of libvirt's 128 (truncated to whole MiB/s, as QEMU reports it). Each
   * calculation takes 0.2 s beyond its period on the test clock.
   */
  DirtyRateReading cyclingGuest(int seconds) {
    clock.advance(Duration.ofSeconds(seconds).plusMillis(200));
    return cyclingGuestReading(seconds);
  }

  static DirtyRateReading cyclingGuestReading(int seconds) {
    long changedMib = Math.min(64, 32L * seconds);
    return new DirtyRateReading(DirtyRateReading.MEASURED, changedMib / seconds, seconds);
  }

  long clockNanos() {
    java.time.Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** The summary case's request: 200 Mbit/s, a deadline of twice the bound (21.5 s). */
  MigrationRequest summaryRequest() {
    return new MigrationRequest(
        "vm",
        "a",
        "b",
        25_000_000L,
        clock.instant().plus(Duration.ofMillis(21_474)),
        MigrationSettings.defaults().withPostCopy(PostCopyPolicy.whenNeeded()),
        false);
  }

  @Test
  void the_summary_case_of_a_guest_cycling_over_its_working_set_is_planned_within_30_percent() {
    // issue 8 item 5: planned within ±30 % of the move and never more than 10 % optimistic. The
    // guest moves by post-copy: the first pass, then one pull of the 64 MiB it keeps rewriting
    // (a pass of 2 s or more touches all of it). Before: the measuring budget fitted a 1 s and a
    // 3 s calculation, no working set showed, and the tail was planned as the 64 MiB seen changed
    // in 3 s times the pass over 3 s (150 MiB): 1.45 x the move
    a.running("vm").nonZeroFraction = 0.5;
    a.calculations = (vm, seconds) -> cyclingGuest(seconds);
    a.calculationNanos = this::clockNanos;

    TuningChoice choice = engine.plan(summaryRequest());

    assertEquals(Tuning.POST_COPY, choice.tuning(), choice.toString());
    MigrationInputs in = choice.plan().inputs();
    double usable = 0.8 * 25_000_000L; // FakeCluster's planner: 80 % of the link, no set-up
    double firstPass =
        in.nonZeroRamBytes()
            + (in.ramBytes() - in.nonZeroRamBytes())
                / 4096.0
                * MigrationPlanner.ZERO_PAGE_RECORD_BYTES;
    double moves = (firstPass + (64L << 20)) / usable;
    double ratio = choice.plan().predictedTotal().toMillis() / 1000.0 / moves;
    assertTrue(
        ratio >= 0.9 && ratio <= 1.3,
        String.format(
            "planned %.2f x the %.2f s the move takes: %s, %s", ratio, moves, choice, in));
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
