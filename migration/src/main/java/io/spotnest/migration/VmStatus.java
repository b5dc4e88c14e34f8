package io.spotnest.migration;

/**
 * An agent VM's state on one host with libvirt's reason for it, as far as the migration engine
 * cares.
 *
 * @param state running, paused, shut off, absent
 * @param reason why it is in that state (libvirt's running/paused/shut-off reason)
 */
public record VmStatus(VmState state, Reason reason) {

  /** The VM is not defined on the host. */
  public static final VmStatus ABSENT = new VmStatus(VmState.ABSENT, Reason.NONE);

  /** libvirt's reasons that tell a migration's copies apart. */
  public enum Reason {
    NONE,
    /** Booted, resumed or otherwise not tied to a migration. */
    OTHER,
    /** Paused by a user or API call. */
    USER,
    /** Paused for a migration: the source at switch-over, or an incoming copy not yet resumed. */
    MIGRATION,
    /** Running after an incoming migration completed. */
    MIGRATED,
    /**
     * Source paused while a post-copy destination pulls its pages, or destination running in
     * post-copy.
     */
    POSTCOPY,
    /** Post-copy broke: the guest's state is split between the two hosts. */
    POSTCOPY_FAILED
  }

  public VmStatus {
    if (state == null || reason == null) {
      throw new IllegalArgumentException("VM status needs a state and a reason");
    }
  }

  public static VmStatus of(VmState state) {
    return state == VmState.ABSENT ? ABSENT : new VmStatus(state, Reason.OTHER);
  }

  public static VmStatus of(VmState state, Reason reason) {
    return new VmStatus(state, reason);
  }

  public boolean running() {
    return state == VmState.RUNNING;
  }

  public boolean present() {
    return state != VmState.ABSENT;
  }

  /** Whether this copy's guest state depends on post-copy (it must never be resumed on its own). */
  public boolean postCopy() {
    return reason == Reason.POSTCOPY || reason == Reason.POSTCOPY_FAILED;
  }

  /**
   * Whether libvirt marked this copy's post-copy as failed (QEMU "postcopy-paused"): it can only be
   * continued by a post-copy resume.
   */
  public boolean failedPostCopy() {
    return reason == Reason.POSTCOPY_FAILED;
  }

  @Override
  public String toString() {
    return reason == Reason.NONE || reason == Reason.OTHER
        ? state.name()
        : state + "(" + reason + ")";
  }
}
