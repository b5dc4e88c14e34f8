package io.spotnest.migration;

/**
 * Where a migration is, as reported to {@link MigrationListener#onPhase} and {@link
 * MigrationHandle#phase()}.
 */
public enum MigrationPhase {
  /** Checking, reserving, measuring, planning, creating the destination's overlay. */
  PREPARING,
  /** libvirt's migrate call is running (pre-copy). */
  COPYING,
  /** Switched to post-copy: the guest runs on the destination while its pages are pulled. */
  POST_COPY,
  /** The call returned successfully: the engine checks where the VM runs and cleans the source. */
  SWITCHING,
  /** An abort was sent (deadline or cancel). */
  ABORTING,
  /** The call failed or was given up: the engine settles where the VM runs. */
  RECOVERING,
  /** The outcome is known (or the request was refused). */
  DONE
}
