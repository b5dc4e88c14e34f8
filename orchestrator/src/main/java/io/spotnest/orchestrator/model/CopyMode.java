package io.spotnest.orchestrator.model;

import io.spotnest.strategy.fleet.CopyRequest;

/**
 * When the fleet gives a standing copy (issue 12), as spot-strategy's standing-copy plan decides:
 * never, when the expected loss beats the copy's cost, or whenever the agent runs on spot. Each
 * agent's {@link CopyRequest} says whom a mode may copy: an agent that asked in every mode but
 * {@link #OFF}, one that left it to the fleet only in {@link #AT_RISK}, one that refused never.
 */
public enum CopyMode {
  /** No standing copies, even for agents that asked. */
  OFF,
  /**
   * An agent that asked keeps one while its expected loss exceeds the copy's cost, i.e. at raised
   * hazard (the strategy's default).
   */
  HAZARD,
  /** An agent that asked keeps one whenever it runs on spot without a notice. */
  ALWAYS,
  /**
   * As {@link #HAZARD}, over the agents that left it to the fleet too (never those that refused):
   * the simulator's {@code AT_RISK}, "all builds on a pool at risk" where the loss beats the cost.
   */
  AT_RISK;

  /** Whether agents that left the copy to the fleet ({@link CopyRequest#UNSET}) may get one. */
  public boolean copiesUnasked() {
    return this == AT_RISK;
  }

  /**
   * Whether an agent with {@code request} may be given a copy in this mode (never in {@link #OFF}).
   */
  public boolean mayCopy(CopyRequest request) {
    return this != OFF && request.mayBeCopied(copiesUnasked());
  }
}
