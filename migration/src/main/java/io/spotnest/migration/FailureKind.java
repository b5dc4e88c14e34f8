package io.spotnest.migration;

/** Why a migration did not happen or did not complete. */
public enum FailureKind {
  /** The request names a host, VM or setting that does not exist or is malformed. */
  INVALID_REQUEST,
  /** The agent VM is not running on the source. */
  VM_NOT_RUNNING,
  /** A migration of the same VM is already in flight. */
  ALREADY_MIGRATING,
  /** The destination lacks memory or disk for the guest. */
  NO_ROOM,
  /** A per-host or per-link limit of concurrent moves is reached and no slot came free in time. */
  LIMIT_REACHED,
  /**
   * The plan says the deadline cannot be met: nothing was started, or a standing copy's flush was
   * refused and its stream cancelled (the VM runs on its source).
   */
  PLAN_MISSES_DEADLINE,
  /** The migration ran past its deadline and was aborted. */
  DEADLINE_EXCEEDED,
  /** The caller cancelled it ({@link MigrationHandle#cancel()}); the VM stays on the source. */
  CANCELLED,
  /** A host could not be reached or failed during the copy. */
  HOST_FAILED,
  /** libvirt or QEMU reported an error. */
  HYPERVISOR_ERROR
}
