package io.spotnest.orchestrator.tick;

/**
 * Fail closed (R9): voluntary moves only once the journal has been replayed and reconciled with the
 * cloud and the hypervisors, and only in a tick whose cloud listing worked and agreed with the
 * model. Forced work never waits.
 */
public final class SyncGate {
  private boolean reconciled;

  public void reconciled() {
    reconciled = true;
  }

  public boolean allowsVoluntary(boolean cloudAgrees) {
    return reconciled && cloudAgrees;
  }
}
