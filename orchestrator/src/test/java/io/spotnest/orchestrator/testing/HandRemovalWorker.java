package io.spotnest.orchestrator.testing;

import io.spotnest.orchestrator.tick.RemovalBackoff;
import io.spotnest.orchestrator.tick.RemovalWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link RemovalWorker} driven by hand, for tests that want no threads: a first attempt runs at
 * once on the caller's thread, a retry waits until {@link #retryAll()}; the pauses it was asked for
 * follow {@link RemovalBackoff#DEFAULT}.
 */
public final class HandRemovalWorker implements RemovalWorker {
  private final List<Runnable> retries = new ArrayList<>();
  private final List<Duration> pauses = new ArrayList<>();
  private boolean closed;

  @Override
  public void run(Runnable attempt) {
    open();
    attempt.run();
  }

  @Override
  public Duration retry(Runnable attempt, int failures) {
    open();
    Duration pause = RemovalBackoff.DEFAULT.after(failures);
    retries.add(attempt);
    pauses.add(pause);
    return pause;
  }

  /** Runs the retries waiting now (not those they ask for); returns how many ran. */
  public int retryAll() {
    List<Runnable> due = List.copyOf(retries);
    retries.clear();
    due.forEach(Runnable::run);
    return due.size();
  }

  /** How many retries wait. */
  public int waiting() {
    return retries.size();
  }

  /** Every pause a retry was given, in order. */
  public List<Duration> pauses() {
    return List.copyOf(pauses);
  }

  public boolean closed() {
    return closed;
  }

  /** Drops the retries waiting; any later hand-over is refused. */
  @Override
  public void close() {
    closed = true;
    retries.clear();
  }

  private void open() {
    if (closed) {
      throw new RejectedExecutionException("closed");
    }
  }
}
