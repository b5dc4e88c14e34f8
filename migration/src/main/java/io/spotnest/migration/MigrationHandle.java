package io.spotnest.migration;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A migration the engine runs in the background ({@link MigrationEngine#start}): its phase, its
 * outcome, and a {@link #cancel()} that asks the engine to abort it (an abort of libvirt's job, not
 * a thread interrupt).
 */
public final class MigrationHandle implements RunControl {

  private final String vmName;
  private final MigrationListener events;
  private final AtomicReference<MigrationPhase> phase =
      new AtomicReference<>(MigrationPhase.PREPARING);
  private final AtomicBoolean cancel = new AtomicBoolean();
  private final CompletableFuture<MigrationOutcome> outcome = new CompletableFuture<>();

  MigrationHandle(String vmName, MigrationListener events) {
    this.vmName = vmName;
    this.events = events;
  }

  public String vmName() {
    return vmName;
  }

  public MigrationPhase phase() {
    return phase.get();
  }

  /**
   * The outcome; completes exceptionally with {@link MigrationException} when the engine refused
   * the request before starting anything.
   */
  public CompletableFuture<MigrationOutcome> outcome() {
    return outcome.copy();
  }

  /**
   * Asks the engine to stop the migration: before the copy it is not started, during pre-copy it is
   * aborted and the VM stays on the source (outcome {@link FailureKind#CANCELLED}); after the
   * post-copy switch it can no longer be stopped and completes.
   */
  public void cancel() {
    cancel.set(true);
  }

  @Override
  public boolean cancelRequested() {
    return cancel.get();
  }

  @Override
  public void phase(MigrationPhase p) {
    if (phase.getAndSet(p) != p) {
      events.onPhase(p);
    }
  }

  void complete(MigrationOutcome o) {
    outcome.complete(o);
  }

  void fail(Throwable e) {
    outcome.completeExceptionally(e);
  }
}
