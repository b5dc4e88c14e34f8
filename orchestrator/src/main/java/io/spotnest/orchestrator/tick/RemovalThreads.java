package io.spotnest.orchestrator.tick;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The production {@link RemovalWorker}: a small pool of named daemon threads ({@code
 * spotnest-vm-removal-N}), so that one host that does not answer holds at most one of them; a retry
 * waits its {@link RemovalBackoff} pause. {@link #close()} drops the retries still waiting, lets an
 * attempt that is due or running finish within the grace, then interrupts and returns.
 */
public final class RemovalThreads implements RemovalWorker {
  /** Two threads: a hanging host still leaves one for the others. */
  public static final int THREADS = 2;

  /** How long {@link #close()} lets a running removal finish. */
  public static final Duration GRACE = Duration.ofSeconds(5);

  private static final System.Logger LOG = System.getLogger(RemovalThreads.class.getName());
  private final ScheduledThreadPoolExecutor executor;
  private final RemovalBackoff backoff;
  private final Duration grace;

  /** {@link #THREADS} threads, the default backoff and grace. */
  public RemovalThreads() {
    this(THREADS, RemovalBackoff.DEFAULT, GRACE, named());
  }

  /**
   * @param threads how many removals may run at once
   * @param grace how long {@link #close()} waits for a running removal
   * @param threadFactory makes the worker threads
   */
  public RemovalThreads(
      int threads, RemovalBackoff backoff, Duration grace, ThreadFactory threadFactory) {
    this.backoff = backoff;
    this.grace = grace;
    executor = new ScheduledThreadPoolExecutor(threads, threadFactory);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setRemoveOnCancelPolicy(true);
  }

  /** Daemon threads named {@code spotnest-vm-removal-N}. */
  public static ThreadFactory named() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "spotnest-vm-removal-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void run(Runnable attempt) {
    executor.execute(logged(attempt));
  }

  @Override
  public Duration retry(Runnable attempt, int failures) {
    Duration pause = backoff.after(failures);
    executor.schedule(logged(attempt), pause.toMillis(), TimeUnit.MILLISECONDS);
    return pause;
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
        LOG.log(
            Level.WARNING,
            "a VM removal still waits for its host after "
                + grace.toMillis()
                + " ms; left to end on its own, no further try starts");
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** An attempt whose unexpected throwable is logged, not swallowed by the executor. */
  private static Runnable logged(Runnable attempt) {
    return () -> {
      try {
        attempt.run();
      } catch (RuntimeException | Error e) { // the executor would keep it where no one reads it
        LOG.log(Level.ERROR, "a VM removal failed unexpectedly", e);
      }
    };
  }
}
