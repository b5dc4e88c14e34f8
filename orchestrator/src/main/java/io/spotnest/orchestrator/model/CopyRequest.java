package io.spotnest.orchestrator.model;

/**
 * What an agent's request said about a standing copy (issue 12), as the simulator's {@code
 * Build.CopyRequest}: it asked for one, left it to the fleet's {@link CopyMode}, or refused one.
 */
public enum CopyRequest {
  /** It asked: the fleet's copy mode decides when it keeps one (never in {@link CopyMode#OFF}). */
  ASKED,
  /** It left it to the fleet: only {@link CopyMode#AT_RISK} may give it one. */
  UNSET,
  /** It refused: it never gets a copy, whatever the mode. */
  REFUSED;

  /**
   * The request a yes/no wish stood for before the wish had three values: {@code true} asked, and
   * {@code false} was never given a copy, so it is read as refused.
   */
  public static CopyRequest ofWish(boolean asked) {
    return asked ? ASKED : REFUSED;
  }

  /** Whether an agent with this request may be given a copy in {@code mode}. */
  public boolean mayBeCopied(CopyMode mode) {
    return mode != CopyMode.OFF && (this == ASKED || (this == UNSET && mode.copiesUnasked()));
  }
}
