package io.spotnest.migration;

/** Receives a migration's plan, its progress samples and its outcome. */
public interface MigrationListener {

  default void onPlan(MigrationPlan plan) {}

  default void onProgress(MigrationProgress progress) {}

  default void onOutcome(MigrationOutcome outcome) {}

  MigrationListener NONE = new MigrationListener() {};
}
