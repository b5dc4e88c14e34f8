package io.spotnest.migration;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Passes events to the caller's listener; a listener that throws cannot break the migration it
 * watches.
 */
final class SafeListener implements MigrationListener {

  private final MigrationListener delegate;
  private final AtomicReference<RuntimeException> firstFailure = new AtomicReference<>();

  SafeListener(MigrationListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void onPlan(MigrationPlan plan) {
    guard(() -> delegate.onPlan(plan));
  }

  @Override
  public void onProgress(MigrationProgress progress) {
    guard(() -> delegate.onProgress(progress));
  }

  @Override
  public void onPhase(MigrationPhase phase) {
    guard(() -> delegate.onPhase(phase));
  }

  @Override
  public void onOutcome(MigrationOutcome outcome) {
    guard(() -> delegate.onOutcome(outcome));
  }

  /** The first exception a listener threw, for the outcome's message; null when none did. */
  RuntimeException firstFailure() {
    return firstFailure.get();
  }

  private void guard(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      firstFailure.compareAndSet(null, e);
    }
  }
}
