package io.spotnest.orchestrator.lifecycle;

/** A life-cycle step that the state machine does not allow. */
public final class IllegalTransitionException extends IllegalStateException {
  public IllegalTransitionException(String what, Enum<?> from, Enum<?> to) {
    super(what + " cannot go from " + from + " to " + to);
  }
}
