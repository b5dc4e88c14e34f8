package io.spotnest.migration;

/** How far a migration got, as the caller of libvirt's migrate call knows it. */
public enum JobPhase {
  /** The migrate call was never made. */
  NOT_STARTED,
  /** Pre-copy: the source holds the authoritative guest state until the switch-over. */
  PRE_COPY,
  /** Switched to post-copy: the destination runs the guest and the source must never be resumed. */
  POST_COPY,
  /** Not known (reconciliation after a controller restart): the pause reasons decide. */
  UNKNOWN
}
