package io.spotnest.migration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Brings back a post-copy whose stream broke (a cut link): after the switch the guest's newest CPU
 * state is on the destination and the pages not yet sent are on the source, so neither copy may run
 * alone. It probes both hosts until {@link RecoveryDecision} says both report the failed post-copy,
 * then resumes it with libvirt's post-copy resume on a thread of its own. It stops probing when the
 * decision settles otherwise (the VM completed after all) or at {@code until}: a source that has
 * not answered by then counts as gone.
 */
final class PostCopyRescue {

  /**
   * What a rescue attempt came to.
   *
   * @param call the resumed migration's call (null when none was started)
   * @param plan the decision it acted on (or last saw)
   * @param sourceSilent the source did not answer when the rescue gave up
   * @param waited from the break to the resume call (or to giving up)
   */
  record Attempt(
      CompletableFuture<Void> call, RecoveryPlan plan, boolean sourceSilent, Duration waited) {}

  private final Hypervisor src;
  private final Hypervisor dst;
  private final RunRecovery observer;
  private final String vm;
  private final MigrationSettings settings;
  private final Clock clock;
  private final RunTimings timings;
  private final Instant until;

  PostCopyRescue(
      Hypervisor src,
      Hypervisor dst,
      RunRecovery observer,
      String vm,
      MigrationSettings settings,
      Clock clock,
      RunTimings timings,
      Instant until) {
    this.src = src;
    this.dst = dst;
    this.observer = observer;
    this.vm = vm;
    this.settings = settings;
    this.clock = clock;
    this.timings = timings;
    this.until = until;
  }

  /** The instant past which the rescue no longer waits for the hosts. */
  Instant until() {
    return until;
  }

  /**
   * Whether the post-copy is broken as the hosts show it now: failed on either host, or either does
   * not answer.
   */
  boolean broken() {
    HostView s = observer.observe(src);
    HostView d = observer.observe(dst);
    return !s.reachable()
        || !d.reachable()
        || s.status().failedPostCopy()
        || d.status().failedPostCopy();
  }

  /**
   * Probes until the post-copy can be resumed (and starts the resume), until the decision needs no
   * resume, or until {@link #until()}.
   */
  Attempt attempt() {
    Instant broke = clock.instant();
    while (true) {
      HostView s = observer.observe(src);
      HostView d = observer.observe(dst);
      RecoveryPlan plan = RecoveryDecision.decide(s, d, JobPhase.POST_COPY, true);
      Duration waited = Duration.between(broke, clock.instant());
      if (plan.resumesPostCopy()) {
        CompletableFuture<Void> call =
            CompletableFuture.runAsync(
                () -> src.resumePostCopy(vm, dst.endpoint(), settings), PostCopyRescue::ownThread);
        return new Attempt(call, plan, false, waited);
      }
      if (plan.keep() != RecoveryPlan.Keep.UNDECIDED || !clock.instant().isBefore(until)) {
        return new Attempt(null, plan, !s.reachable(), waited);
      }
      try {
        Thread.sleep(timings.probeInterval().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Attempt(null, plan, false, waited);
      }
    }
  }

  private static void ownThread(Runnable r) {
    DaemonThreads.start("spotnest-postcopy-resume", r);
  }
}
