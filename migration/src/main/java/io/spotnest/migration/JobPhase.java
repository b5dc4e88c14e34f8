package io.spotnest.migration;

/** How far a migration got, as the caller of libvirt's migrate call knows it. */
public enum JobPhase {
  /** The migrate call was never made. */
  NOT_STARTED,
  /** Pre-copy: the source holds the authoritative guest state until the switch-over. */
  PRE_COPY,
  /** Switched to post-copy: the destination runs the guest and the source must never be resumed. */
  POST_COPY,
  /**
   * A pre-copy whose abort QEMU took while the source kept running, and libvirt's call has not
   * returned (it waits for a destination that does not answer): the source holds the only whole
   * copy and the destination can no longer be handed the VM.
   */
  PRE_COPY_ABORTED,
  /** Not known (reconciliation after a controller restart): the pause reasons decide. */
  UNKNOWN
}
