package io.spotnest.migration;

import io.spotnest.migration.RecoveryPlan.Keep;
import io.spotnest.migration.RecoveryPlan.Step;

/**
 * The one rule for putting a VM back in one piece after a migration: which copy to keep, what to
 * resume, what to remove. Pure: it sees both hosts' copies (state, libvirt's reason, an active job,
 * reachability), the phase the migration reached and whether libvirt's migrate call has returned.
 * Used by {@link MigrationRun} after every migration and by {@link MigrationRecovery} after a
 * controller restart.
 *
 * <p>Its guarantees: nothing is touched while the call or a job is in flight; nothing is resumed
 * while the other side might be running (unreachable, or holding a copy that may be complete); a
 * copy whose state depends on post-copy is never resumed on its own, and a post-copy that failed on
 * both sides is continued with libvirt's post-copy resume, never settled by keeping one copy; a
 * running copy is never removed, except a destination whose post-copy failed once its source host
 * is gone (it lacks pages that no longer exist).
 */
public final class RecoveryDecision {

  private RecoveryDecision() {}

  public static RecoveryPlan decide(
      HostView source, HostView destination, JobPhase phase, boolean callReturned) {
    if (!callReturned
        && phase == JobPhase.PRE_COPY_ABORTED
        && source.reachable()
        && source.status().running()) {
      return RecoveryPlan.of(
          Keep.SOURCE,
          "the pre-copy was aborted and the VM runs on the source; libvirt's call has "
              + "not returned, so the destination is left to reconciliation");
    }
    if (!callReturned) {
      return RecoveryPlan.of(
          Keep.UNDECIDED, "libvirt's migrate call has not returned: the migration owns the VM");
    }
    if (inFlight(source) || inFlight(destination)) {
      return RecoveryPlan.of(
          Keep.UNDECIDED,
          "a migration job is still active (source "
              + source
              + ", destination "
              + destination
              + ")");
    }
    VmStatus s = source.status();
    VmStatus d = destination.status();
    if (!source.reachable() && !destination.reachable()) {
      return RecoveryPlan.of(Keep.UNDECIDED, "neither host answers");
    }
    if (source.gone()) {
      return sourceGone(destination);
    }
    if (!source.reachable()) {
      if (d.running() && !d.failedPostCopy()) {
        return RecoveryPlan.of(
            Keep.DESTINATION,
            "the source does not answer; the VM runs on the destination, the source's copy is left to reconciliation");
      }
      if (!d.present()) {
        return RecoveryPlan.of(
            Keep.UNDECIDED,
            "the source does not answer and the destination holds no copy",
            Step.REMOVE_DESTINATION);
      }
      return RecoveryPlan.of(
          Keep.UNDECIDED,
          "the source does not answer and the destination's copy is "
              + d
              + ": the source may still run, or this may be the only copy");
    }
    if (!destination.reachable()) {
      if (s.running()) {
        return RecoveryPlan.of(
            Keep.SOURCE,
            "the destination does not answer; the VM runs on the source, the destination is left to reconciliation");
      }
      return RecoveryPlan.of(
          Keep.UNDECIDED,
          "the destination does not answer and the source's copy is "
              + s
              + ": the destination may be running");
    }
    if (s.present() && d.present() && (s.failedPostCopy() || d.failedPostCopy())) {
      return brokenPostCopy(s, d);
    }
    if (d.failedPostCopy()) {
      return RecoveryPlan.of(
          Keep.NOWHERE,
          "the VM was lost: its post-copy failed and the source no longer holds the pages the "
              + "destination's "
              + d
              + " copy lacks; that copy goes",
          Step.REMOVE_DESTINATION);
    }
    if (s.running() && d.running()) {
      return RecoveryPlan.of(Keep.UNDECIDED, "the VM runs on both hosts: refusing to choose");
    }
    if (s.running()) {
      return RecoveryPlan.of(
          Keep.SOURCE,
          "the VM runs on the source; the destination's " + d + " copy goes",
          Step.REMOVE_DESTINATION);
    }
    if (d.running()) {
      return RecoveryPlan.of(
          Keep.DESTINATION,
          "the VM runs on the destination; the source's " + s + " copy goes",
          Step.REMOVE_SOURCE);
    }
    boolean sourceResumable =
        s.state() == VmState.PAUSED && !s.postCopy() && phase != JobPhase.POST_COPY;
    if (s.postCopy() || d.postCopy() || phase == JobPhase.POST_COPY) {
      if (d.state() == VmState.PAUSED
          && !d.postCopy()
          && d.reason() != VmStatus.Reason.MIGRATION
          && !s.present()) {
        return RecoveryPlan.of(
            Keep.DESTINATION,
            "post-copy completed but the destination stayed paused",
            Step.RESUME_DESTINATION,
            Step.REMOVE_SOURCE);
      }
      if (d.present() && s.present()) {
        return RecoveryPlan.of(
            Keep.UNDECIDED,
            "post-copy broke (source "
                + s
                + ", destination "
                + d
                + "): only a post-copy resume can save the VM");
      }
      return RecoveryPlan.of(
          Keep.NOWHERE, "the VM was lost in post-copy: source " + s + ", destination " + d);
    }
    if (sourceResumable) {
      return RecoveryPlan.of(
          Keep.SOURCE,
          "the source's copy is "
              + s
              + " and the destination's "
              + d
              + ": resume the source, remove the destination's copy",
          Step.RESUME_SOURCE,
          Step.REMOVE_DESTINATION);
    }
    if (d.state() == VmState.PAUSED) {
      boolean handedOver = s.state() == VmState.SHUT_OFF && s.reason() == VmStatus.Reason.MIGRATED;
      boolean complete = d.reason() != VmStatus.Reason.MIGRATION;
      if (handedOver || (complete && !s.present())) {
        return RecoveryPlan.of(
            Keep.DESTINATION,
            "the source's copy is " + s + ": resume the destination's " + d + " copy",
            Step.RESUME_DESTINATION,
            Step.REMOVE_SOURCE);
      }
      return RecoveryPlan.of(
          Keep.NOWHERE, "the destination's copy is " + d + " (incomplete) and the source's " + s);
    }
    return RecoveryPlan.of(
        Keep.NOWHERE, "the VM runs nowhere: " + s + " on the source, " + d + " on the destination");
  }

  /**
   * Post-copy failed (QEMU "postcopy-paused") on at least one side and both answer: once both sides
   * report it, the post-copy is resumed; until then nothing is touched (libvirt refuses a resume
   * before both sides have seen the failure).
   */
  private static RecoveryPlan brokenPostCopy(VmStatus s, VmStatus d) {
    if (s.state() == VmState.PAUSED && s.failedPostCopy() && d.failedPostCopy()) {
      return RecoveryPlan.of(
          Keep.DESTINATION,
          "post-copy paused on both hosts (source "
              + s
              + ", destination "
              + d
              + "): resume it with libvirt's post-copy resume; the destination holds the newest "
              + "CPU state, the source the pages not yet sent",
          Step.RESUME_POST_COPY);
    }
    return RecoveryPlan.of(
        Keep.UNDECIDED,
        "post-copy failed on one side only so far (source "
            + s
            + ", destination "
            + d
            + "): neither copy may be resumed or removed on its own");
  }

  /**
   * The source host is gone: a destination that runs a complete copy keeps the VM; an incomplete
   * one (incoming, or post-copy that failed) can never complete and goes, with its overlay.
   */
  private static RecoveryPlan sourceGone(HostView destination) {
    VmStatus d = destination.status();
    if (!destination.reachable()) {
      return RecoveryPlan.of(
          Keep.UNDECIDED, "the source host is gone and the destination does not answer");
    }
    if (d.running() && !d.failedPostCopy()) {
      return RecoveryPlan.of(
          Keep.DESTINATION, "the source host is gone; the VM runs on the destination (" + d + ")");
    }
    if (!d.present() || d.postCopy() || d.reason() == VmStatus.Reason.MIGRATION) {
      return RecoveryPlan.of(
          Keep.NOWHERE,
          "the VM was lost with its source host: the destination's copy is "
              + d
              + (d.present() ? " (incomplete) and goes" : ""),
          Step.REMOVE_DESTINATION);
    }
    return RecoveryPlan.of(
        Keep.UNDECIDED,
        "the source host is gone and the destination's copy is " + d + ": not known to be whole");
  }

  /**
   * Whether a job runs on the host's copy: libvirt keeps the job of a failed post-copy (so it can
   * be resumed), but nothing is in flight there.
   */
  static boolean inFlight(HostView h) {
    return h.reachable() && h.jobActive() && !h.status().failedPostCopy();
  }
}
