package io.spotnest.orchestrator.model;

/** Why a spot pool was closed to the orchestrator's launches: which part of it closed the pool. */
public enum ClosureKind {
  /**
   * A spot launch in the pool failed (no capacity, a cap, or an error the provider gave): no launch
   * there until the capacity hold ends.
   */
  LAUNCH_FAILED,
  /**
   * The strategy's burst drain: a notice in a burst of reclamations; the pool's hosts are emptied
   * by a deadline and it takes nothing until the quiet end.
   */
  BURST_DRAIN
}
