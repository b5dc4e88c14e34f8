package io.spotnest.orchestrator.tick;

import java.time.Duration;

/**
 * Where {@link VmRemovals} runs its removals: away from the tick, so that a host that does not
 * answer (libvirt's connect has no timeout of its own) never holds the tick. {@link RemovalThreads}
 * in production.
 */
public interface RemovalWorker extends AutoCloseable {

  /**
   * Runs {@code attempt} soon, not on the caller's thread (a hand-driven test worker may).
   *
   * @throws java.util.concurrent.RejectedExecutionException once closed
   */
  void run(Runnable attempt);

  /**
   * Runs {@code attempt} again after its {@code failures}-th failure in a row, later each time
   * (bounded); returns that pause.
   *
   * @throws java.util.concurrent.RejectedExecutionException once closed
   */
  Duration retry(Runnable attempt, int failures);

  /**
   * Stops: no attempt starts any more; one already in a call is given a short grace, then left (a
   * call blocked in libvirt cannot be taken back). Does not hang.
   */
  @Override
  void close();
}
