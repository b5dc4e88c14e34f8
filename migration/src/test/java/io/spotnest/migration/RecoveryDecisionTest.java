package io.spotnest.migration;

import static io.spotnest.migration.RecoveryPlan.Keep.DESTINATION;
import static io.spotnest.migration.RecoveryPlan.Keep.NOWHERE;
import static io.spotnest.migration.RecoveryPlan.Keep.SOURCE;
import static io.spotnest.migration.RecoveryPlan.Keep.UNDECIDED;
import static io.spotnest.migration.RecoveryPlan.Step.REMOVE_DESTINATION;
import static io.spotnest.migration.RecoveryPlan.Step.REMOVE_SOURCE;
import static io.spotnest.migration.RecoveryPlan.Step.RESUME_DESTINATION;
import static io.spotnest.migration.RecoveryPlan.Step.RESUME_POST_COPY;
import static io.spotnest.migration.RecoveryPlan.Step.RESUME_SOURCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.migration.RecoveryPlan.Keep;
import io.spotnest.migration.RecoveryPlan.Step;
import io.spotnest.migration.VmStatus.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one recovery rule, on a table of the cases that matter and on every combination for its
 * guarantees.
 */
class RecoveryDecisionTest {

  static final HostView GONE = HostView.unreachable();
  static final HostView ABSENT = HostView.of(VmStatus.ABSENT);

  /** A source known not to come back (reclaimed). */
  static final HostView LOST = HostView.lost();

  static HostView running(Reason r) {
    return HostView.of(VmStatus.of(VmState.RUNNING, r));
  }

  static HostView paused(Reason r) {
    return HostView.of(VmStatus.of(VmState.PAUSED, r));
  }

  static HostView shutOff(Reason r) {
    return HostView.of(VmStatus.of(VmState.SHUT_OFF, r));
  }

  static Arguments row(
      String name,
      HostView src,
      HostView dst,
      JobPhase phase,
      boolean returned,
      Keep keep,
      Step... steps) {
    return Arguments.of(name, src, dst, phase, returned, keep, Set.of(steps));
  }

  static Stream<Arguments> table() {
    JobPhase pre = JobPhase.PRE_COPY;
    JobPhase post = JobPhase.POST_COPY;
    return Stream.of(
        row(
            "call in flight, source paused, destination running",
            paused(Reason.MIGRATION),
            running(Reason.MIGRATED),
            pre,
            false,
            UNDECIDED),
        row(
            "call in flight, source running",
            running(Reason.OTHER),
            paused(Reason.MIGRATION),
            pre,
            false,
            UNDECIDED),
        row(
            "call stuck after an abort QEMU took, source runs on",
            HostView.withJob(VmStatus.of(VmState.RUNNING, Reason.OTHER)),
            GONE,
            JobPhase.PRE_COPY_ABORTED,
            false,
            SOURCE),
        row(
            "call stuck after an abort, source paused: undecided",
            paused(Reason.MIGRATION),
            GONE,
            JobPhase.PRE_COPY_ABORTED,
            false,
            UNDECIDED),
        row(
            "job still active on the destination",
            running(Reason.OTHER),
            HostView.withJob(VmStatus.of(VmState.PAUSED, Reason.MIGRATION)),
            pre,
            true,
            UNDECIDED),
        row(
            "success: source gone, destination running",
            ABSENT,
            running(Reason.MIGRATED),
            pre,
            true,
            DESTINATION,
            REMOVE_SOURCE),
        row(
            "destination resumed, source paused: never resume the source",
            paused(Reason.MIGRATION),
            running(Reason.MIGRATED),
            pre,
            true,
            DESTINATION,
            REMOVE_SOURCE),
        row(
            "post-copy done, source paused post-copy",
            paused(Reason.POSTCOPY),
            running(Reason.MIGRATED),
            post,
            true,
            DESTINATION,
            REMOVE_SOURCE),
        row(
            "aborted pre-copy: source running, incoming copy paused",
            running(Reason.OTHER),
            paused(Reason.MIGRATION),
            pre,
            true,
            SOURCE,
            REMOVE_DESTINATION),
        row(
            "aborted pre-copy: source running, nothing on the destination",
            running(Reason.OTHER),
            ABSENT,
            pre,
            true,
            SOURCE,
            REMOVE_DESTINATION),
        row(
            "failed pre-copy: source left paused, destination empty",
            paused(Reason.MIGRATION),
            ABSENT,
            pre,
            true,
            SOURCE,
            RESUME_SOURCE,
            REMOVE_DESTINATION),
        row(
            "failed pre-copy: both paused",
            paused(Reason.MIGRATION),
            paused(Reason.MIGRATION),
            pre,
            true,
            SOURCE,
            RESUME_SOURCE,
            REMOVE_DESTINATION),
        row(
            "failed before the call: source running",
            running(Reason.OTHER),
            ABSENT,
            JobPhase.NOT_STARTED,
            true,
            SOURCE,
            REMOVE_DESTINATION),
        row(
            "destination unreachable, source running",
            running(Reason.OTHER),
            GONE,
            pre,
            true,
            SOURCE),
        row(
            "destination unreachable, source paused: it may run there",
            paused(Reason.MIGRATION),
            GONE,
            pre,
            true,
            UNDECIDED),
        row(
            "destination unreachable after the post-copy switch",
            paused(Reason.POSTCOPY),
            GONE,
            post,
            true,
            UNDECIDED),
        row(
            "source unreachable, destination running",
            GONE,
            running(Reason.MIGRATED),
            pre,
            true,
            DESTINATION),
        row(
            "source unreachable, destination paused incoming: the source may run",
            GONE,
            paused(Reason.MIGRATION),
            pre,
            true,
            UNDECIDED),
        row(
            "source unreachable, destination empty: clean its overlay",
            GONE,
            ABSENT,
            pre,
            true,
            UNDECIDED,
            REMOVE_DESTINATION),
        row(
            "source unreachable, destination shut off",
            GONE,
            shutOff(Reason.OTHER),
            pre,
            true,
            UNDECIDED),
        row("neither host answers", GONE, GONE, pre, true, UNDECIDED),
        row(
            "both running: refuse to choose",
            running(Reason.OTHER),
            running(Reason.MIGRATED),
            pre,
            true,
            UNDECIDED),
        row(
            "post-copy broke: both paused",
            paused(Reason.POSTCOPY),
            paused(Reason.POSTCOPY_FAILED),
            post,
            true,
            UNDECIDED),
        row(
            "post-copy switched, destination lost: the source's memory is stale",
            paused(Reason.POSTCOPY),
            ABSENT,
            post,
            true,
            NOWHERE),
        row(
            "phase post-copy with a source paused for migration: still never resumed",
            paused(Reason.MIGRATION),
            ABSENT,
            post,
            true,
            NOWHERE),
        row(
            "source handed over (shut off migrated), destination left paused",
            shutOff(Reason.MIGRATED),
            paused(Reason.MIGRATION),
            pre,
            true,
            DESTINATION,
            RESUME_DESTINATION,
            REMOVE_SOURCE),
        row(
            "incoming copy paused, source gone without handing over",
            ABSENT,
            paused(Reason.MIGRATION),
            pre,
            true,
            NOWHERE),
        row(
            "a lone copy paused by a user, found as the destination",
            ABSENT,
            paused(Reason.USER),
            JobPhase.UNKNOWN,
            true,
            DESTINATION,
            RESUME_DESTINATION,
            REMOVE_SOURCE),
        row(
            "post-copy paused on both sides, both answer: resume the post-copy, touch no copy",
            paused(Reason.POSTCOPY_FAILED),
            running(Reason.POSTCOPY_FAILED),
            post,
            true,
            DESTINATION,
            RESUME_POST_COPY),
        row(
            "post-copy paused on both sides, destination paused too: resume the post-copy",
            paused(Reason.POSTCOPY_FAILED),
            paused(Reason.POSTCOPY_FAILED),
            post,
            true,
            DESTINATION,
            RESUME_POST_COPY),
        row(
            "post-copy paused on both sides, found by reconciliation (phase unknown)",
            paused(Reason.POSTCOPY_FAILED),
            running(Reason.POSTCOPY_FAILED),
            JobPhase.UNKNOWN,
            true,
            DESTINATION,
            RESUME_POST_COPY),
        row(
            "post-copy paused on both sides, libvirt keeps both jobs (paused): resume it",
            HostView.withJob(VmStatus.of(VmState.PAUSED, Reason.POSTCOPY_FAILED)),
            HostView.withJob(VmStatus.of(VmState.RUNNING, Reason.POSTCOPY_FAILED)),
            post,
            true,
            DESTINATION,
            RESUME_POST_COPY),
        row(
            "post-copy failed on the source, the destination's job still runs: wait",
            paused(Reason.POSTCOPY_FAILED),
            HostView.withJob(VmStatus.of(VmState.RUNNING, Reason.POSTCOPY)),
            post,
            true,
            UNDECIDED),
        row(
            "post-copy failed on the source, the destination has not seen it yet: wait",
            paused(Reason.POSTCOPY_FAILED),
            running(Reason.POSTCOPY),
            post,
            true,
            UNDECIDED),
        row(
            "post-copy failed on the destination, the source has not seen it yet: wait",
            paused(Reason.POSTCOPY),
            running(Reason.POSTCOPY_FAILED),
            post,
            true,
            UNDECIDED),
        row(
            "post-copy paused, the link is still down (destination unreachable)",
            paused(Reason.POSTCOPY_FAILED),
            GONE,
            post,
            true,
            UNDECIDED),
        row(
            "post-copy paused, the source does not answer (yet): never call the destination done",
            GONE,
            running(Reason.POSTCOPY_FAILED),
            post,
            true,
            UNDECIDED),
        row(
            "post-copy paused, the source host is gone: lost, the incomplete copy goes",
            LOST,
            running(Reason.POSTCOPY_FAILED),
            post,
            true,
            NOWHERE,
            REMOVE_DESTINATION),
        row(
            "post-copy paused, the source host is gone, destination paused: lost, it goes",
            LOST,
            paused(Reason.POSTCOPY_FAILED),
            post,
            true,
            NOWHERE,
            REMOVE_DESTINATION),
        row(
            "the source host is gone after post-copy completed: keep the destination",
            LOST,
            running(Reason.MIGRATED),
            post,
            true,
            DESTINATION),
        row(
            "the source host is gone mid pre-copy: lost, the incoming copy goes",
            LOST,
            paused(Reason.MIGRATION),
            pre,
            true,
            NOWHERE,
            REMOVE_DESTINATION),
        row(
            "the source host is gone, destination empty: lost, its overlay goes",
            LOST,
            ABSENT,
            post,
            true,
            NOWHERE,
            REMOVE_DESTINATION),
        row(
            "the source host is gone, the destination does not answer",
            LOST,
            GONE,
            post,
            true,
            UNDECIDED),
        row(
            "post-copy failed and the source's copy is gone (its QEMU died): lost, it goes",
            ABSENT,
            running(Reason.POSTCOPY_FAILED),
            post,
            true,
            NOWHERE,
            REMOVE_DESTINATION),
        row("nothing anywhere", ABSENT, ABSENT, pre, true, NOWHERE),
        row("both shut off", shutOff(Reason.OTHER), shutOff(Reason.OTHER), pre, true, NOWHERE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(
      String name,
      HostView src,
      HostView dst,
      JobPhase phase,
      boolean returned,
      Keep keep,
      Set<Step> steps) {
    RecoveryPlan p = RecoveryDecision.decide(src, dst, phase, returned);
    assertEquals(keep, p.keep(), name + ": " + p);
    assertEquals(steps, p.steps(), name + ": " + p);
    assertFalse(p.reason().isBlank());
  }

  static List<HostView> everyView() {
    List<HostView> all = new ArrayList<>();
    all.add(GONE);
    all.add(LOST);
    all.add(ABSENT);
    for (VmState s : List.of(VmState.RUNNING, VmState.PAUSED, VmState.SHUT_OFF, VmState.OTHER)) {
      for (Reason r : Reason.values()) {
        if (r != Reason.NONE) {
          all.add(HostView.of(VmStatus.of(s, r)));
          all.add(HostView.withJob(VmStatus.of(s, r)));
        }
      }
    }
    return all;
  }

  @Test
  void every_combination_keeps_the_guarantees() {
    int cases = 0;
    for (HostView s : everyView()) {
      for (HostView d : everyView()) {
        for (JobPhase phase : JobPhase.values()) {
          for (boolean returned : new boolean[] {true, false}) {
            RecoveryPlan p = RecoveryDecision.decide(s, d, phase, returned);
            String c =
                "source "
                    + s
                    + ", destination "
                    + d
                    + ", "
                    + phase
                    + ", returned "
                    + returned
                    + " -> "
                    + p;
            cases++;
            if (!returned || RecoveryDecision.inFlight(s) || RecoveryDecision.inFlight(d)) {
              // an aborted pre-copy whose source runs on is kept there, but nothing is touched
              // either
              boolean abortedRunning =
                  phase == JobPhase.PRE_COPY_ABORTED
                      && !returned
                      && s.reachable()
                      && s.status().running();
              assertTrue(
                  p.steps().isEmpty() && p.keep() == (abortedRunning ? SOURCE : UNDECIDED),
                  "in flight, nothing is touched: " + c);
            }
            if (p.steps().contains(RESUME_SOURCE)) {
              assertTrue(
                  d.reachable() && !d.status().running(),
                  "resumed while the other might run: " + c);
              assertTrue(
                  !s.status().postCopy() && phase != JobPhase.POST_COPY,
                  "resumed a post-copy source: " + c);
              assertEquals(VmState.PAUSED, s.status().state(), c);
            }
            if (p.steps().contains(RESUME_DESTINATION)) {
              assertTrue(
                  s.reachable() && !s.status().running(),
                  "resumed while the other might run: " + c);
              assertFalse(
                  d.status().postCopy(), "resumed a post-copy destination on its own: " + c);
              assertTrue(
                  d.status().reason() != Reason.MIGRATION || s.status().reason() == Reason.MIGRATED,
                  "resumed an incomplete incoming copy: " + c);
            }
            if (p.steps().contains(RESUME_POST_COPY)) {
              assertTrue(
                  s.reachable() && d.reachable(), "post-copy resumed with a side unseen: " + c);
              assertTrue(
                  s.status().state() == VmState.PAUSED
                      && s.status().failedPostCopy()
                      && d.status().failedPostCopy(),
                  "post-copy resumed where it had not failed on both sides: " + c);
              assertEquals(Set.of(RESUME_POST_COPY), p.steps(), c);
            }
            if (s.reachable()
                && d.reachable()
                && s.status().postCopy()
                && s.status().state() == VmState.PAUSED
                && d.status().postCopy()
                && (s.status().failedPostCopy() || d.status().failedPostCopy())) {
              assertTrue(
                  p.steps().isEmpty() || p.steps().equals(Set.of(RESUME_POST_COPY)),
                  "a post-copy split between the hosts lost a copy or resumed one alone: " + c);
            }
            assertFalse(
                p.steps().contains(REMOVE_SOURCE) && (s.status().running() || !s.reachable()),
                "removed a running or unseen source: " + c);
            // a copy that runs is removed only when it cannot be complete: its post-copy failed and
            // the source that held its remaining pages is gone (host lost, or its copy absent)
            assertFalse(
                p.steps().contains(REMOVE_DESTINATION)
                    && (!d.reachable()
                        || (d.status().running()
                            && !((s.gone() || (s.reachable() && !s.status().present()))
                                && d.status().failedPostCopy()))),
                "removed a running or unseen destination: " + c);
            assertFalse(
                p.steps().contains(REMOVE_SOURCE) && p.steps().contains(REMOVE_DESTINATION),
                "removed both copies: " + c);
            if (p.keep() == SOURCE) {
              assertTrue(s.status().running() || p.steps().contains(RESUME_SOURCE), c);
            }
            if (p.keep() == DESTINATION) {
              assertTrue(
                  (d.status().running() && !d.status().failedPostCopy())
                      || p.steps().contains(RESUME_DESTINATION)
                      || p.steps().contains(RESUME_POST_COPY),
                  "kept a destination that cannot run on its own: " + c);
            }
          }
        }
      }
    }
    assertTrue(cases > 10_000, "combinations checked: " + cases);
  }
}
