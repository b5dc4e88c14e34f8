package io.spotnest.migration;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Delivers a migration's events to the caller's listener in order on a thread of their own, so a
 * slow or failing listener never delays the watch loop (and a throwing one is contained by {@link
 * SafeListener}).
 */
final class EventRelay implements MigrationListener, AutoCloseable {

  private final SafeListener listener;
  private final ExecutorService thread;

  EventRelay(MigrationListener listener, String vm) {
    this.listener = new SafeListener(listener);
    this.thread = Executors.newSingleThreadExecutor(DaemonThreads.named("spotnest-events-" + vm));
  }

  @Override
  public void onPlan(MigrationPlan plan) {
    thread.execute(() -> listener.onPlan(plan));
  }

  @Override
  public void onProgress(MigrationProgress progress) {
    thread.execute(() -> listener.onProgress(progress));
  }

  @Override
  public void onPhase(MigrationPhase phase) {
    thread.execute(() -> listener.onPhase(phase));
  }

  @Override
  public void onOutcome(MigrationOutcome outcome) {
    thread.execute(() -> listener.onOutcome(outcome));
  }

  /**
   * Waits (at most 10 s: a listener that hangs is abandoned) until every event so far has been
   * delivered.
   */
  void drain() {
    Future<?> f = thread.submit(() -> {});
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // a listener that hangs does not hold the migration
    }
  }

  /** The first exception the listener threw (after {@link #drain()}), or null. */
  RuntimeException firstFailure() {
    return listener.firstFailure();
  }

  @Override
  public void close() {
    thread.shutdown();
  }
}
