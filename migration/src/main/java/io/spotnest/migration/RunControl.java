package io.spotnest.migration;

/** What a running migration reports its phase to and asks whether it was cancelled. */
interface RunControl {

  void phase(MigrationPhase phase);

  boolean cancelRequested();
}
