package io.spotnest.orchestrator.lifecycle;

/**
 * The life of an agent VM: requested → placed (→ requested again if its host never came) → booting
 * → online ⇄ busy, online/busy → migrating → online/busy, → draining → gone. Any live phase may end
 * in GONE (a lost host); GONE is final.
 */
public enum AgentPhase {
  REQUESTED,
  PLACED,
  BOOTING,
  ONLINE,
  BUSY,
  MIGRATING,
  DRAINING,
  GONE;

  /** Whether the machine allows {@code this → next}. */
  public boolean canMoveTo(AgentPhase next) {
    if (next == GONE) {
      return this != GONE;
    }
    return switch (this) {
      case REQUESTED -> next == PLACED;
      case PLACED -> next == BOOTING || next == REQUESTED;
      case BOOTING -> next == ONLINE;
      case ONLINE -> next == BUSY || next == MIGRATING || next == DRAINING;
      case BUSY -> next == ONLINE || next == MIGRATING || next == DRAINING;
      case MIGRATING -> next == ONLINE || next == BUSY;
      case DRAINING, GONE -> false;
    };
  }

  /** Returns {@code next}, or throws when the step is not allowed. */
  public AgentPhase to(AgentPhase next) {
    if (!canMoveTo(next)) {
      throw new IllegalTransitionException("agent", this, next);
    }
    return next;
  }
}
