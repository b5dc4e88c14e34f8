package io.spotnest.strategy.fleet;

/**
 * What an agent's request (a build's, in the simulator) said about a standing copy (issue 12): it
 * asked for one, left it to the fleet's copy mode, or refused one. The orchestrator and the
 * simulator read it by the same rule ({@link #mayBeCopied}).
 */
public enum CopyRequest {
  /** It asked: the fleet's copy mode decides when it keeps one. */
  ASKED,
  /** It left it to the fleet: only a mode that copies unasked agents ({@code AT_RISK}) may. */
  UNSET,
  /** It refused: it never gets a copy, whatever the mode. */
  REFUSED;

  /**
   * The request a journaled yes/no wish stood for before the wish had three values: {@code true}
   * asked, and {@code false} was never given a copy, so it is read as refused.
   */
  public static CopyRequest ofWish(boolean asked) {
    return asked ? ASKED : REFUSED;
  }

  /**
   * Whether it may be given a copy by a fleet that copies agents that asked, and also those that
   * left it to the fleet where {@code copiesUnasked}.
   */
  public boolean mayBeCopied(boolean copiesUnasked) {
    return this == ASKED || (this == UNSET && copiesUnasked);
  }
}
