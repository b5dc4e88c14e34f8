package io.spotnest.migration;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Watches libvirt's migrate call until it returns: samples the job statistics, switches to
 * post-copy when the policy says so, aborts at the deadline or on a cancel (again every few seconds
 * until the call returns) and stops waiting a grace period past it. After the switch a post-copy
 * that broke is resumed once its hosts are back ({@link PostCopyRescue}), never from the deadline
 * on; a broken post-copy whose call (or resume call) has not returned by the deadline is not waited
 * for: the watch ends there and the run reports the VM split between the hosts. So does one both
 * hosts show in flight that sent nothing from the deadline to the watch's end (a stall QEMU did not
 * notice), where the engine has a safety margin; one still sending gets the grace period. Nothing
 * it calls can escape or block it: hypervisor calls are bounded, a refused post-copy switch is
 * noted and retried, listeners are guarded.
 */
final class MigrationWatch {

  /** What watching found. */
  record Result(
      Throwable error,
      boolean callReturned,
      boolean abortedAtDeadline,
      boolean cancelled,
      boolean switchedToPostCopy,
      MigrationProgress last,
      List<String> notes,
      boolean sourceRanOnAfterAbort,
      boolean sourceSilentAfterPostCopyBroke,
      int postCopyResumes,
      boolean postCopyBrokenAtDeadline,
      boolean postCopyStalledAtDeadline) {

    Result(
        Throwable error,
        boolean callReturned,
        boolean abortedAtDeadline,
        boolean cancelled,
        boolean switchedToPostCopy,
        MigrationProgress last,
        List<String> notes,
        boolean sourceRanOnAfterAbort) {
      this(
          error,
          callReturned,
          abortedAtDeadline,
          cancelled,
          switchedToPostCopy,
          last,
          notes,
          sourceRanOnAfterAbort,
          false,
          0,
          false,
          false);
    }
  }

  private final Hypervisor src;
  private final String vm;
  private final MigrationSettings settings;
  private final Instant deadline;
  private final Clock clock;
  private final MigrationListener listener;
  private final BoundedCalls calls;
  private final RunTimings timings;
  private final RunControl control;
  private final MoveSlots.Slot slot;
  private long appliedSpeed;
  private final List<String> notes = new ArrayList<>();
  private boolean switchedToPostCopy;
  private MigrationProgress last;
  private boolean abortTaken;
  private boolean sourceRanOnAfterAbort;
  private PostCopyRescue rescue;
  private CopyStall stall;
  private DowntimeCeiling ceiling;
  private boolean sourceSilent;
  private boolean brokenAtDeadline;
  private boolean stalledAtDeadline;
  private Instant end;

  /** The memory the job had processed at its furthest sample, and when that grew last. */
  private long processed = -1;

  private Instant movedAt;

  /** Post-copy resumes started in this watch (each that fails leads to another rescue). */
  private int resumesStarted;

  MigrationWatch(
      Hypervisor src,
      String vm,
      MigrationSettings settings,
      Instant deadline,
      Clock clock,
      MigrationListener listener,
      BoundedCalls calls,
      RunTimings timings,
      RunControl control,
      MoveSlots.Slot slot,
      long startedSpeed) {
    this.src = src;
    this.vm = vm;
    this.settings = settings;
    this.deadline = deadline;
    this.clock = clock;
    this.listener = listener;
    this.calls = calls;
    this.timings = timings;
    this.control = control;
    this.slot = slot;
    this.appliedSpeed = startedSpeed;
  }

  /**
   * The migration being watched had switched to post-copy before the watch began (attached after a
   * restart).
   */
  void alreadySwitched() {
    switchedToPostCopy = true;
  }

  /** Brings a broken post-copy back with {@code r} (without one, a break ends the watch). */
  MigrationWatch rescuing(PostCopyRescue r) {
    this.rescue = r;
    return this;
  }

  /**
   * Stops waiting for a pre-copy's call that has not returned after the abort at {@code end} (the
   * caller's deadline less the time kept to settle, {@link RunTimings#watchEnd}); null: no such
   * end, the grace period alone bounds the wait.
   */
  MigrationWatch endingBy(Instant end) {
    this.end = end;
    return this;
  }

  /**
   * Lowers a raised downtime limit as the deadline nears ({@link DowntimeCeiling}), so that a
   * switch-over QEMU starts never pauses past it.
   */
  MigrationWatch capping(DowntimeCeiling c) {
    this.ceiling = c;
    return this;
  }

  /** Notes what both hosts show when the copy sends nothing for a while ({@link CopyStall}). */
  MigrationWatch noting(CopyStall s) {
    this.stall = s;
    return this;
  }

  Result watch(CompletableFuture<Void> first, Instant started) {
    CompletableFuture<Void> call = first;
    boolean aborted = false;
    boolean cancelled = false;
    Instant nextAbort = deadline;
    Instant giveUp = deadline.plus(timings.callGrace());
    Instant stuckExit = null;
    boolean abortTried = false;
    boolean polledAfterAbort = false;
    while (true) {
      try {
        call.get(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        return result(null, true, aborted, cancelled);
      } catch (TimeoutException e) {
        polledAfterAbort = abortTried;
        sample();
        applyShare();
      } catch (ExecutionException e) {
        CompletableFuture<Void> resumed =
            switchedToPostCopy && rescue != null ? rescue(e.getCause()) : null;
        if (resumed == null) {
          return result(e.getCause(), true, aborted, cancelled);
        }
        call = resumed;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort();
        return result(e, call.isDone(), aborted, cancelled);
      }
      Instant now = clock.instant();
      if (stall != null && !switchedToPostCopy && !aborted && !cancelled) {
        stall.check(now, started, deadline);
      }
      if (ceiling != null && !switchedToPostCopy && !aborted && !cancelled) {
        lowerDowntime(now);
      }
      if (settings.postCopy().allowed()
          && !switchedToPostCopy
          && !cancelled
          && !aborted
          && now.isBefore(deadline)
          && last != null
          && last.iteration() >= 2
          && last.diskRemaining() == 0) {
        // a switch requested before the first memory pass (or while disks still copy) is refused by
        // QEMU
        boolean planned = !now.isBefore(started.plus(settings.postCopy().switchAfter()));
        String late = planned ? null : remainderMissesDeadline(now);
        if (planned || late != null) {
          switchToPostCopy(late);
        }
      }
      if (!cancelled && !switchedToPostCopy && control.cancelRequested()) {
        cancelled = true;
        nextAbort = now;
        Instant cancelGiveUp = now.plus(timings.callGrace());
        giveUp = cancelGiveUp.isBefore(giveUp) ? cancelGiveUp : giveUp;
      }
      if (!switchedToPostCopy && !now.isBefore(nextAbort)) {
        aborted |= !now.isBefore(deadline);
        nextAbort = now.plus(timings.abortRepeat());
        control.phase(MigrationPhase.ABORTING);
        abort();
        abortTried = true;
        if (stuckExit == null && abortTaken) {
          stuckExit = now.plus(timings.stuckCallExit());
        }
      }
      if (stuckExit != null && !switchedToPostCopy && !now.isBefore(stuckExit) && sourceRunsOn()) {
        sourceRanOnAfterAbort = true;
        return result(
            new IllegalStateException(
                "libvirt's migrate call had not returned "
                    + timings.stuckCallExit().toMillis()
                    + " ms after QEMU took the abort; the source runs on"),
            false,
            aborted,
            cancelled);
      }
      // the call had a poll interval to return after the abort
      if (end != null && !switchedToPostCopy && polledAfterAbort && !now.isBefore(end)) {
        String name = src.endpoint().name();
        boolean ranOn = abortTaken && sourceRunsOn();
        sourceRanOnAfterAbort = ranOn;
        return result(
            new IllegalStateException(
                "libvirt's migrate call had not returned by "
                    + end
                    + ", the time kept before the caller's deadline to settle; "
                    + (ranOn
                        ? "QEMU took the abort and the source runs on"
                        : abortTaken
                            ? "QEMU took the abort, but the source " + name + " is not known to run"
                            : "the source " + name + " did not take the abort")),
            false,
            aborted,
            cancelled);
      }
      if (switchedToPostCopy && !now.isBefore(deadline) && !call.isDone() && postCopyBroken()) {
        brokenAtDeadline = true;
        return result(
            new IllegalStateException(
                "the post-copy was broken at the deadline and libvirt's "
                    + (resumesStarted > 0 ? "post-copy resume" : "migrate")
                    + " call had not returned"),
            false,
            aborted,
            cancelled);
      }
      if (end != null
          && switchedToPostCopy
          && !now.isBefore(end)
          && !call.isDone()
          && (movedAt == null || movedAt.isBefore(deadline))) {
        stalledAtDeadline = true;
        return result(
            new IllegalStateException(
                "the post-copy stalled: both hosts showed it in flight, but it sent nothing from "
                    + deadline
                    + " to "
                    + end
                    + ", and libvirt's migrate call had not returned"),
            false,
            aborted,
            cancelled);
      }
      if (!now.isBefore(giveUp)) {
        return result(
            new IllegalStateException(
                "the migration call did not return within "
                    + timings.callGrace().toSeconds()
                    + " s after the deadline"
                    + (switchedToPostCopy ? " (post-copy still running)" : "")),
            call.isDone(),
            aborted,
            cancelled);
      }
    }
  }

  /**
   * Why the rest of the pre-copy no longer fits the time left, or null when it does: the memory
   * still to send at the rate the job has achieved so far, with a quarter added for the passes that
   * re-send dirtied pages.
   */
  private String remainderMissesDeadline(Instant now) {
    double seconds = last.elapsed().toMillis() / 1000.0;
    if (seconds <= 0 || last.memoryProcessed() <= 0) {
      return null;
    }
    double rate = last.memoryProcessed() / seconds;
    double need = 1.25 * last.memoryRemaining() / rate;
    double left = java.time.Duration.between(now, deadline).toMillis() / 1000.0;
    if (need < left) {
      return null;
    }
    return String.format(
        java.util.Locale.ROOT,
        "%d MiB left at %.1f MiB/s need %.1f s with %.1f s to the deadline",
        last.memoryRemaining() >> 20,
        rate / 1048576.0,
        need,
        left);
  }

  private void switchToPostCopy(String because) {
    try {
      calls.run(src.endpoint().name(), "the post-copy switch", () -> src.startPostCopy(vm));
      switchedToPostCopy = true;
      if (because != null) {
        notes.add("switched to post-copy: " + because);
      }
      control.phase(MigrationPhase.POST_COPY);
    } catch (RuntimeException e) {
      if (notes.isEmpty() || !notes.get(notes.size() - 1).startsWith("post-copy switch refused")) {
        notes.add("post-copy switch refused (retried): " + e.getMessage());
      }
    }
  }

  /**
   * The post-copy's call failed: waits for both hosts to report the failed post-copy and resumes
   * it, returning the resumed call; null when it cannot be resumed (the decision settled otherwise,
   * or the hosts did not come back in time).
   */
  private CompletableFuture<Void> rescue(Throwable why) {
    control.phase(MigrationPhase.RECOVERING);
    if (!clock.instant().isBefore(rescue.until())) {
      notes.add(
          resumesStarted > 0
              ? "post-copy resume failed "
                  + resumesStarted
                  + " times, the last: "
                  + why.getMessage()
                  + "; given up at "
                  + rescue.until()
              : "post-copy broke (" + why.getMessage() + ") at the deadline: not resumed");
      return null;
    }
    if (resumesStarted > 0) {
      pause(timings.probeInterval());
    }
    PostCopyRescue.Attempt a = rescue.attempt();
    if (a.call() == null) {
      sourceSilent = a.sourceSilent();
      notes.add(
          "post-copy broke ("
              + why.getMessage()
              + ") and was not resumed after "
              + a.waited().toMillis()
              + " ms: "
              + a.plan().reason());
      return null;
    }
    notes.add(
        "post-copy broke ("
            + why.getMessage()
            + "): resumed with libvirt's post-copy resume after "
            + a.waited().toMillis()
            + " ms");
    resumesStarted++;
    control.phase(MigrationPhase.POST_COPY);
    return a.call();
  }

  private static void pause(java.time.Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void lowerDowntime(Instant now) {
    ceiling
        .lowerAt(now)
        .ifPresent(
            limit -> {
              try {
                calls.run(
                    src.endpoint().name(),
                    "the lowered downtime limit",
                    () -> src.setMaxDowntime(vm, limit));
                ceiling.applied(limit);
              } catch (RuntimeException e) {
                if (notes.stream().noneMatch(n -> n.startsWith("downtime limit not lowered"))) {
                  notes.add("downtime limit not lowered (retried): " + e.getMessage());
                }
              }
            });
  }

  /** Re-sets the bandwidth when the link's share changed (another move on it started or ended). */
  private void applyShare() {
    long want = slot.mibPerSecond();
    if (want == appliedSpeed || switchedToPostCopy) {
      return;
    }
    try {
      calls.run(src.endpoint().name(), "the bandwidth", () -> src.setMaxSpeed(vm, want));
      appliedSpeed = want;
    } catch (RuntimeException e) {
      if (notes.stream().noneMatch(n -> n.startsWith("bandwidth not re-set"))) {
        notes.add("bandwidth not re-set (retried): " + e.getMessage());
      }
    }
  }

  private void sample() {
    JobStats js;
    try {
      js = calls.call(src.endpoint().name(), "job statistics", () -> src.jobStats(vm));
    } catch (RuntimeException e) {
      if (stall != null) {
        stall.unreadable(e);
      }
      return; // the job may have just ended, or the source does not answer: the deadline still
      // holds
    }
    if (stall != null) {
      if (js.active()) {
        stall.read(js);
      } else {
        stall.noJob();
      }
    }
    if (js.active()) {
      MigrationProgress p = js.progress(switchedToPostCopy);
      if (p.memoryProcessed() > processed) {
        processed = p.memoryProcessed();
        movedAt = clock.instant();
      }
      listener.onProgress(p);
      // a job that is being torn down reports zeros: keep the furthest sample for the outcome
      if (last == null || p.memoryProcessed() >= last.memoryProcessed()) {
        last = p;
      }
    }
  }

  /**
   * Whether a post-copy whose call (or resume call) has not returned is broken: either host reports
   * it failed ("postcopy-paused") or does not answer (without a rescue, only the source is looked
   * at). One both hosts show in flight, or over, is not: its call is given the grace period (it
   * cannot be aborted, and the VM runs on the destination).
   */
  private boolean postCopyBroken() {
    if (rescue != null) {
      return rescue.broken();
    }
    try {
      return calls
          .call(src.endpoint().name(), "the VM's state", () -> src.status(vm))
          .failedPostCopy();
    } catch (RuntimeException e) {
      return true;
    }
  }

  /** Whether the source answers that the VM runs (not paused for a switch-over, not gone). */
  private boolean sourceRunsOn() {
    try {
      return calls.call(src.endpoint().name(), "the VM's state", () -> src.state(vm))
          == VmState.RUNNING;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void abort() {
    try {
      calls.run(src.endpoint().name(), "the abort", () -> src.abortJob(vm));
      abortTaken = true;
    } catch (RuntimeException e) {
      // the source does not answer: repeated at the next abort time, and the grace exit still holds
    }
  }

  private Result result(Throwable error, boolean returned, boolean aborted, boolean cancelled) {
    List<String> all = new ArrayList<>(notes);
    if (stall != null) {
      stall.note().ifPresent(all::add);
    }
    return new Result(
        error,
        returned,
        aborted,
        cancelled,
        switchedToPostCopy,
        last,
        List.copyOf(all),
        sourceRanOnAfterAbort,
        sourceSilent,
        resumesStarted,
        brokenAtDeadline,
        stalledAtDeadline);
  }
}
