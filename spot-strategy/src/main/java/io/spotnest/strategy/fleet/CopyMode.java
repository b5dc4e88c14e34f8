package io.spotnest.strategy.fleet;

/**
 * How a fleet gives standing copies (issue 12): the mode of the simulator's {@code
 * --standing-copies}, of {@link StandingCopyPlan}, and of the orchestrator's fleet (a Jenkins
 * cloud's {@code standingCopies}). Each agent's {@link CopyRequest} says whom a mode may copy
 * ({@link #mayCopy}): one that asked in every mode but {@link #OFF}, one that left it to the fleet
 * only in {@link #AT_RISK}, one that refused never.
 */
public enum CopyMode {
  /** Never. */
  OFF,
  /** When the agent's expected loss exceeds the copy's cost. */
  HAZARD,
  /** To every agent on spot (the zero-restart direction, whatever it costs). */
  ALWAYS,
  /**
   * To every agent on spot whose copy costs less than the spot saving it keeps (below that,
   * on-demand would be cheaper than spot with a copy), and as {@link #HAZARD} to the others.
   */
  AFFORDABLE,
  /**
   * As {@link #HAZARD}, and to the agents that did not ask for a copy too (not to those that
   * refused one): issue 12's "all builds on a pool at risk", where the expected loss beats the
   * copy's cost. The caller shows the plan those agents ({@link #copiesUnasked}).
   */
  AT_RISK;

  /** Whether agents that did not ask for a copy (and did not refuse one) are decided too. */
  public boolean copiesUnasked() {
    return this == AT_RISK;
  }

  /** Whether a copy is kept only where the expected loss pays for it (no copy counted on). */
  public boolean byHazardOnly() {
    return this == HAZARD || this == AT_RISK;
  }

  /** Whether an agent whose request says {@code request} may be given a copy in this mode. */
  public boolean mayCopy(CopyRequest request) {
    return this != OFF && request.mayBeCopied(copiesUnasked());
  }
}
