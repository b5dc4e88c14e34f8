package io.spotnest.orchestrator.model;

/**
 * Which agents keep a standing copy (issue 12), as spot-strategy's standing-copy plan decides:
 * never, when the expected loss beats the copy's cost, or every agent on spot.
 */
public enum CopyMode {
  /** No standing copies. */
  OFF,
  /** When the agent's expected loss exceeds the copy's cost (the strategy's default). */
  HAZARD,
  /** Every agent on spot. */
  ALWAYS
}
