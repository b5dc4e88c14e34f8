package io.spotnest.strategy.sim;

/**
 * A standing copy of one agent on a backup host inside a run: what the backup still lacks ({@link
 * #pendingMiB}: at first the memory the guest has touched, at most its RAM) shrinks by what the
 * stream sends and grows by the guest's dirty rate. It protects the agent only while nothing is
 * pending (the stream keeps up).
 */
final class StandingCopy {
  final SimHost backup;
  double pendingMiB;

  /** Whether the stream has started (its backup was ready). */
  boolean streaming;

  /** Whether the copy has ever been current (a copy pending again has fallen behind). */
  boolean wasCurrent;

  StandingCopy(SimHost backup, double ramGiB) {
    this.backup = backup;
    this.pendingMiB = ramGiB * 1024;
  }

  /** Whether a notice now needs only the flush. */
  boolean current() {
    return pendingMiB <= 1e-6;
  }
}
