package io.spotnest.orchestrator.model;

/**
 * When the fleet gives a standing copy (issue 12), as spot-strategy's standing-copy plan decides:
 * never, when the expected loss beats the copy's cost, or whenever the agent runs on spot. The mode
 * applies only to agents whose request asked for a copy ({@code AgentOrder.standingCopy}); an agent
 * that did not ask never gets one, in any mode.
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
  ALWAYS
}
