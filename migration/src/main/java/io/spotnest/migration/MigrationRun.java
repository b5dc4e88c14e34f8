package io.spotnest.migration;

import io.spotnest.migration.RecoveryPlan.Keep;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One migration in flight, start to outcome: prepares the destination ({@link DestinationDisk}),
 * makes libvirt's migrate call on a thread of its own, watches it ({@link MigrationWatch}), settles
 * where the VM runs ({@link RunRecovery} with {@link RecoveryDecision}) and reports the outcome
 * ({@link OutcomeReport}).
 */
final class MigrationRun {

  private final MigrationRequest req;
  private final Hypervisor src;
  private final Hypervisor dst;
  private final HypervisorFactory factory;
  private final MigrationPlan plan;
  private final EventRelay listener;
  private final RunControl control;
  private final Clock clock;
  private final RunTimings timings;
  private final java.time.Duration margin;
  private final MoveSlots.Slot slot;
  private final Tuning tuning;
  private CompletableFuture<Void> destinationCleanup = CompletableFuture.completedFuture(null);
  private Hold hold;
  private Instant deadline;

  /** Why the held copy was refused (its stream cancelled at once), null when it was not. */
  private String refusal;

  /**
   * Keeps a started copy running before it is watched to a deadline (a standing copy, {@link
   * StandingCopy}).
   */
  interface Hold {
    /**
     * Blocks while the copy stands: returns how to watch it on, or the result of a call that ended
     * meanwhile.
     */
    Held hold(
        Hypervisor src,
        String vm,
        CompletableFuture<Void> call,
        BoundedCalls calls,
        MigrationListener events);

    /**
     * The domain XML the destination is to run the VM with, read from the source before the copy
     * starts; null for the source's own (the default).
     */
    default String destinationXml(Hypervisor src, String vm, BoundedCalls calls) {
      return null;
    }
  }

  /**
   * How a held copy goes on: watched from {@code from} to {@code deadline} with {@code settings},
   * or, when {@code ended} is set, settled at once with that result; {@code notes} go into the
   * outcome. A {@code raisedLimit} is lowered as the deadline nears ({@link DowntimeCeiling}); a
   * {@code refusal} cancels the copy at once and is the outcome's reason.
   */
  record Held(
      Instant deadline,
      Instant from,
      MigrationSettings settings,
      MigrationWatch.Result ended,
      List<String> notes,
      java.time.Duration raisedLimit,
      String refusal) {

    Held(
        Instant deadline,
        Instant from,
        MigrationSettings settings,
        MigrationWatch.Result ended,
        List<String> notes) {
      this(deadline, from, settings, ended, notes, null, null);
    }
  }

  MigrationRun(
      MigrationRequest req,
      Hypervisor src,
      Hypervisor dst,
      HypervisorFactory factory,
      MigrationPlan plan,
      EventRelay listener,
      RunControl control,
      Clock clock,
      RunTimings timings,
      java.time.Duration margin,
      MoveSlots.Slot slot,
      Tuning tuning) {
    this.req = req;
    this.src = src;
    this.dst = dst;
    this.factory = factory;
    this.plan = plan;
    this.listener = listener;
    this.control = control;
    this.clock = clock;
    this.timings = timings;
    this.margin = margin;
    this.slot = slot;
    this.tuning = tuning;
    this.deadline = req.deadline();
  }

  /** The same run, held by {@code h} once the copy has started. */
  MigrationRun holding(Hold h) {
    this.hold = h;
    return this;
  }

  MigrationOutcome execute() {
    MigrationSettings s = req.settings();
    Instant started = clock.instant();
    long startedNanos = System.nanoTime();
    try (BoundedCalls calls = calls()) {
      RunRecovery recovery =
          new RunRecovery(src, dst, factory, req.vmName(), req.vmUuid(), calls, timings);
      OutcomeReport report = new OutcomeReport(req, src, dst, plan, tuning, calls, startedNanos);
      String destinationXml;
      try {
        destinationXml = hold == null ? null : hold.destinationXml(src, req.vmName(), calls);
        if (s.copyStorage()) {
          DestinationDisk.prepare(src, dst, req.vmName());
        }
        calls.run(
            src.endpoint().name(),
            "the downtime limit",
            () -> src.setMaxDowntime(req.vmName(), s.maxDowntime()));
      } catch (RuntimeException e) {
        control.phase(MigrationPhase.RECOVERING);
        RunRecovery.Settled settled = recovery.settle(JobPhase.NOT_STARTED, true);
        return report.failed(
            settled,
            FailureKind.HYPERVISOR_ERROR,
            "preparing the destination failed: " + e.getMessage(),
            null,
            List.of());
      }
      if (control.cancelRequested()) {
        control.phase(MigrationPhase.RECOVERING);
        return report.failed(
            recovery.settle(JobPhase.NOT_STARTED, true),
            FailureKind.CANCELLED,
            "cancelled by the caller before the copy started",
            null,
            List.of());
      }
      control.phase(MigrationPhase.COPYING);
      long speed = slot.mibPerSecond();
      MigrationSettings atShare = MoveSlots.Slot.at(s, speed);
      CompletableFuture<Void> call =
          CompletableFuture.runAsync(
              () -> src.migrate(req.vmName(), dst.endpoint(), atShare, destinationXml),
              MigrationRun::ownThread);
      Held held =
          hold == null
              ? new Held(req.deadline(), started, s, null, List.of())
              : hold.hold(src, req.vmName(), call, calls, listener);
      deadline = held.deadline();
      refusal = held.refusal();
      calls.endBy(watchEnd());
      MigrationWatch.Result w =
          held.ended() != null
              ? held.ended()
              : new MigrationWatch(
                      src,
                      req.vmName(),
                      held.settings(),
                      deadline,
                      clock,
                      listener,
                      calls,
                      timings,
                      refusal == null ? control : cancelling(control),
                      slot,
                      speed)
                  .endingBy(watchEnd())
                  .capping(
                      held.raisedLimit() == null
                          ? null
                          : new DowntimeCeiling(held.raisedLimit(), deadline))
                  .noting(new CopyStall(src, dst, req.vmName(), timings))
                  .rescuing(
                      new PostCopyRescue(
                          src,
                          dst,
                          recovery,
                          req.vmName(),
                          held.settings(),
                          clock,
                          timings,
                          deadline))
                  .watch(call, held.from());
      MigrationOutcome outcome = settle(w, recovery, report, held.notes(), calls);
      if (!w.callReturned() && !w.switchedToPostCopy() && !outcome.success()) {
        destinationCleanup = cleanDestinationWhenCallReturns(call, recovery);
      }
      return outcome;
    }
  }

  /**
   * Watches a migration libvirt already runs (attached after a controller restart) until its job
   * ends, with the deadline, recovery and outcome of a run of the engine's own; it never switches
   * to post-copy itself.
   */
  MigrationOutcome attach(boolean alreadyPostCopy) {
    Instant started = clock.instant();
    long startedNanos = System.nanoTime();
    try (BoundedCalls calls = calls()) {
      RunRecovery recovery =
          new RunRecovery(src, dst, factory, req.vmName(), req.vmUuid(), calls, timings);
      OutcomeReport report = new OutcomeReport(req, src, dst, plan, tuning, calls, startedNanos);
      control.phase(alreadyPostCopy ? MigrationPhase.POST_COPY : MigrationPhase.COPYING);
      CompletableFuture<Void> jobEnd = jobEnd(calls);
      MigrationWatch watch =
          new MigrationWatch(
              src,
              req.vmName(),
              req.settings(),
              req.deadline(),
              clock,
              listener,
              calls,
              timings,
              control,
              slot,
              MoveSlots.UNLIMITED_MIB_S);
      if (alreadyPostCopy) {
        watch.alreadySwitched();
      }
      MigrationWatch.Result w = watch.endingBy(watchEnd()).watch(jobEnd, started);
      jobEnd.cancel(false);
      return settle(
          w,
          recovery,
          report,
          List.of("attached to a migration already running in libvirt"),
          calls);
    }
  }

  /** {@code control} with the cancel already requested: the watch aborts the copy at once. */
  private static RunControl cancelling(RunControl control) {
    return new RunControl() {
      @Override
      public void phase(MigrationPhase phase) {
        control.phase(phase);
      }

      @Override
      public boolean cancelRequested() {
        return true;
      }
    };
  }

  /**
   * The run's hypervisor calls: with a safety margin, bounded by the time left until the watch's
   * end, and after the watch until the caller's deadline ({@link RunTimings}).
   */
  private BoundedCalls calls() {
    return new BoundedCalls(timings.callTimeout(), timings.callFloor(), clock).endBy(watchEnd());
  }

  /** When the watch stops waiting: shortly before the caller's deadline (null without a margin). */
  private Instant watchEnd() {
    return timings.watchEnd(callerDeadline(), margin);
  }

  /** The caller's own deadline: the run's deadline plus the engine's safety margin. */
  private Instant callerDeadline() {
    return deadline.plus(margin);
  }

  private MigrationOutcome settle(
      MigrationWatch.Result w,
      RunRecovery recovery,
      OutcomeReport report,
      List<String> first,
      BoundedCalls calls) {
    if (watchEnd() != null) {
      calls.endBy(callerDeadline());
    }
    control.phase(w.error() == null ? MigrationPhase.SWITCHING : MigrationPhase.RECOVERING);
    JobPhase phase =
        w.switchedToPostCopy()
            ? JobPhase.POST_COPY
            : w.sourceRanOnAfterAbort() ? JobPhase.PRE_COPY_ABORTED : JobPhase.PRE_COPY;
    RunRecovery.Settled settled =
        recovery.settle(phase, w.callReturned(), w.sourceSilentAfterPostCopyBroke());
    List<String> notes = new ArrayList<>(first);
    notes.addAll(w.notes());
    for (String host : calls.silentHosts()) {
      notes.add(
          "host "
              + host
              + " did not answer in the time left before the caller's deadline "
              + callerDeadline()
              + ": what its copy of the VM does is not known, so nothing that depends on it was"
              + " resumed or removed");
    }
    listener.drain();
    if (listener.firstFailure() != null) {
      notes.add("a listener failed: " + listener.firstFailure());
    }
    if (settled.plan().keep() == Keep.DESTINATION && !settled.plan().resumesPostCopy()) {
      return report.succeeded(settled, w, notes);
    }
    return failure(report, settled, w, notes);
  }

  /**
   * A pre-copy aborted while libvirt's migrate call had not returned ends with the VM on the source
   * and the destination left behind (its incoming QEMU, its overlay): once the call returns, within
   * the grace period, the same recovery settles again, now knowing the call is over, and removes
   * what is left on the destination. A call that never returns leaves it to reconciliation.
   */
  private CompletableFuture<Void> cleanDestinationWhenCallReturns(
      CompletableFuture<Void> call, RunRecovery recovery) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    call.handle((ok, failure) -> null)
        .orTimeout(timings.callGrace().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (returned, neverReturned) -> {
              if (neverReturned != null) {
                done.complete(null);
                return;
              }
              ownThread(
                  () -> {
                    try {
                      recovery.settleAfresh(JobPhase.PRE_COPY_ABORTED);
                    } catch (RuntimeException e) {
                      // reconciliation finds what is left
                    } finally {
                      done.complete(null);
                    }
                  });
            });
    return done;
  }

  /**
   * Completes when the run no longer uses its connections: at once, or, for a pre-copy aborted
   * while libvirt's call had not returned, once the destination was cleaned after the call returned
   * (or the grace period passed).
   */
  CompletableFuture<Void> destinationCleanup() {
    return destinationCleanup;
  }

  /**
   * Completes when the VM's job on the source has ended (polled; a source that does not answer is
   * polled again).
   */
  private CompletableFuture<Void> jobEnd(BoundedCalls calls) {
    CompletableFuture<Void> end = new CompletableFuture<>();
    long pollMs = req.settings().pollInterval().toMillis();
    ownThread(
        () -> {
          while (!end.isDone()) {
            try {
              if (!calls
                  .call(src.endpoint().name(), "job statistics", () -> src.jobStats(req.vmName()))
                  .active()) {
                end.complete(null);
                return;
              }
            } catch (RuntimeException e) {
              // the source does not answer (or the run is over): the watch's deadline and grace
              // exit still hold
            }
            try {
              Thread.sleep(pollMs);
            } catch (InterruptedException e) {
              return;
            }
          }
        });
    return end;
  }

  /**
   * Why a run that did not end on the destination failed: cancel, deadline, a host that stopped
   * answering, or libvirt.
   */
  private MigrationOutcome failure(
      OutcomeReport report,
      RunRecovery.Settled settled,
      MigrationWatch.Result w,
      List<String> notes) {
    String msg =
        w.error() == null
            ? "the migration job ended without the VM running on the destination"
            : w.error() instanceof MigrationException m
                ? m.getMessage()
                : String.valueOf(w.error());
    FailureKind kind;
    if (refusal != null && !w.switchedToPostCopy()) {
      kind = FailureKind.PLAN_MISSES_DEADLINE;
      msg = refusal + " (" + msg + ")";
    } else if (w.postCopyBrokenAtDeadline() || w.postCopyStalledAtDeadline()) {
      kind = FailureKind.DEADLINE_EXCEEDED;
      msg = splitAtDeadline(settled, w);
    } else if (w.cancelled() && !w.abortedAtDeadline()) {
      kind = FailureKind.CANCELLED;
      msg = "cancelled by the caller: " + msg;
    } else if (w.abortedAtDeadline()) {
      kind = FailureKind.DEADLINE_EXCEEDED;
      msg = "aborted at the deadline " + deadline + ": " + msg;
    } else if (!settled.destination().reachable()) {
      kind = FailureKind.HOST_FAILED;
      msg = "destination " + dst.endpoint().name() + " failed during the copy: " + msg;
    } else if (settled.source().gone()) {
      kind = FailureKind.HOST_FAILED;
      msg =
          "the VM was lost with its source host "
              + src.endpoint().name()
              + " (it stopped answering "
              + (w.switchedToPostCopy()
                  ? "after the post-copy switch and had not come back by the deadline; "
                      + "the destination's copy lacked the pages it held): "
                  : "during the copy): ")
              + msg;
    } else if (!settled.source().reachable()) {
      kind = FailureKind.HOST_FAILED;
      msg =
          (settled.destination().status().present()
                  ? "source " + src.endpoint().name() + " failed during the copy: "
                  : "the VM was lost with its source host "
                      + src.endpoint().name()
                      + " (it stopped answering during the copy and the destination holds no copy): ")
              + msg;
    } else {
      kind = FailureKind.HYPERVISOR_ERROR;
    }
    return report.failed(settled, kind, msg, w, notes);
  }

  /**
   * Where a post-copy that was broken at the deadline (or stalled to the watch's end) left the VM,
   * as both hosts showed it: split, both copies kept whole while libvirt's call is in flight.
   */
  private String splitAtDeadline(RunRecovery.Settled settled, MigrationWatch.Result w) {
    String s = src.endpoint().name();
    String d = dst.endpoint().name();
    return (w.postCopyStalledAtDeadline()
            ? "the post-copy stalled (both hosts showed it in flight, but it sent nothing from"
                + " the deadline on) and was not whole by the watch's end "
                + watchEnd()
            : "the post-copy broke and was not whole again by the deadline " + deadline)
        + ": the VM is split between the hosts and "
        + (w.postCopyStalledAtDeadline() ? "is not known to run whole anywhere" : "runs nowhere")
        + " (source "
        + s
        + ": "
        + settled.source()
        + ", holding the pages not yet sent; destination "
        + d
        + ": "
        + settled.destination()
        + ", holding its newest CPU state); libvirt's "
        + (w.postCopyResumes() > 0 ? "post-copy resume" : "migrate")
        + " call had not returned, so both copies are left whole: "
        + (w.postCopyStalledAtDeadline() ? "the stream may still move on, or, once it fails, " : "")
        + "only a post-copy resume can continue the VM on "
        + d
        + ", or, once "
        + s
        + "'s host is gone, "
        + d
        + "'s incomplete copy goes";
  }

  /**
   * A thread per migration call: the shared pool has one worker on 2 cores, and a call may outlive
   * its run.
   */
  private static void ownThread(Runnable r) {
    DaemonThreads.start("spotnest-migrate", r);
  }
}
