package io.spotnest.migration;

/** Receives a migration's plan, its progress samples, its phases and its outcome. */
public interface MigrationListener {

  default void onPlan(MigrationPlan plan) {}

  default void onProgress(MigrationProgress progress) {}

  /**
   * The migration entered a phase; delivered in order, on a thread of the engine's (not the watch
   * loop).
   */
  default void onPhase(MigrationPhase phase) {}

  default void onOutcome(MigrationOutcome outcome) {}

  MigrationListener NONE = new MigrationListener() {};
}
