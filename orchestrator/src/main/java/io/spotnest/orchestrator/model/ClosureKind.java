package io.spotnest.orchestrator.model;

/**
 * Why a spot pool was closed to the orchestrator's launches: which part of it closed the pool, and
 * for a failed launch, the provider's cause. Journaled by name: a name, once written, is kept.
 */
public enum ClosureKind {
  /**
   * A spot launch in the pool failed for another cause than those below (a bad request, an unknown
   * outcome), or, in an older journal, for any cause: no launch there until the capacity hold ends.
   */
  LAUNCH_FAILED,
  /**
   * The strategy's burst drain: a notice in a burst of reclamations; the pool's hosts are emptied
   * by a deadline and it takes nothing until the quiet end.
   */
  BURST_DRAIN,
  /** A spot launch found no capacity in the pool: no launch there until the capacity hold ends. */
  NO_CAPACITY,
  /**
   * The pool's offering does not exist (the type is not offered in the zone, or not as spot): no
   * launch there for the much longer unsupported hold.
   */
  UNSUPPORTED,
  /**
   * The account's spot quota (or the provider's cap) is used up: every spot pool is closed for the
   * capacity hold, since none can succeed.
   */
  QUOTA
}
