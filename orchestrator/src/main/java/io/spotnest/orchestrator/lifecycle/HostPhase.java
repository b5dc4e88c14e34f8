package io.spotnest.orchestrator.lifecycle;

/**
 * The life of a host as the orchestrator manages it: launching → ready → at risk → draining → gone.
 * Risk may subside (at risk → ready) and a voluntary drain may be rolled back (draining → ready);
 * GONE is final.
 */
public enum HostPhase {
  LAUNCHING,
  READY,
  AT_RISK,
  DRAINING,
  GONE;

  /** Whether the machine allows {@code this → next}. */
  public boolean canMoveTo(HostPhase next) {
    if (next == GONE) {
      return this != GONE;
    }
    return switch (this) {
      case LAUNCHING -> next == READY;
      case READY -> next == AT_RISK || next == DRAINING;
      case AT_RISK -> next == READY || next == DRAINING;
      case DRAINING -> next == READY;
      case GONE -> false;
    };
  }

  /** Returns {@code next}, or throws when the step is not allowed. */
  public HostPhase to(HostPhase next) {
    if (!canMoveTo(next)) {
      throw new IllegalTransitionException("host", this, next);
    }
    return next;
  }

  /** Only a ready host takes new agents (at risk, draining and launching hosts do not). */
  public boolean placeable() {
    return this == READY;
  }
}
