package io.spotnest.migration;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A standing copy the engine keeps ({@link MigrationEngine#keepStandingCopy}): its state, the
 * stream's progress and bandwidth, and the two ways it ends on request — {@link #flush(Instant)} on
 * a notice (the VM moves to the backup by the deadline, or stays on the source when it cannot) and
 * {@link #stop()} (the VM stays, the backup's copy goes). Its outcome is also complete when the
 * stream ended by itself: converged (the VM runs on the backup) or broke (it runs on the source,
 * with nothing left on the backup).
 */
public final class StandingCopyHandle {

  /** Where a standing copy is. */
  public enum State {
    /** Checking, reserving and preparing the backup; the stream has not started. */
    STARTING,
    /** The stream runs and does not switch over by itself. */
    STANDING,
    /** Flushing, stopping or settling: the outcome follows. */
    FLUSHING,
    /** The outcome is known. */
    ENDED
  }

  private final String vmName;
  private final String backup;
  private final StandingCopy copy;
  private final MigrationHandle run;

  StandingCopyHandle(String vmName, String backup, StandingCopy copy, MigrationHandle run) {
    this.vmName = vmName;
    this.backup = backup;
    this.copy = copy;
    this.run = run;
  }

  public String vmName() {
    return vmName;
  }

  /** The host the copy stands on. */
  public String backup() {
    return backup;
  }

  public State state() {
    return run.outcome().isDone() ? State.ENDED : copy.state();
  }

  /** The stream's latest sample, empty before the first. */
  public Optional<MigrationProgress> lastProgress() {
    return copy.last();
  }

  /**
   * What the stream moved per second (memory and disk) since it started, 0 before the first sample.
   */
  public long averageBytesPerSecond() {
    return copy.averageBytesPerSecond();
  }

  /** What it moved per second over the last few seconds: the rate a flush counts on. */
  public long recentBytesPerSecond() {
    return copy.recentBytesPerSecond();
  }

  /**
   * Completes the copy by {@code deadline} (an instant on the engine's clock): the VM runs on the
   * backup, or, when that fails or the deadline passes, it stays on the source and the backup's
   * copy is removed. A second flush or a flush after the copy ended returns the same outcome.
   */
  public CompletableFuture<MigrationOutcome> flush(Instant deadline) {
    if (deadline == null) {
      throw new IllegalArgumentException("flush needs a deadline");
    }
    copy.flush(deadline);
    return run.outcome();
  }

  /**
   * Ends the copy without moving: the stream is aborted, the VM stays on the source, the backup's
   * copy goes.
   */
  public CompletableFuture<MigrationOutcome> stop() {
    copy.stop();
    run.cancel();
    return run.outcome();
  }

  /**
   * The outcome: after a flush or stop, or when the stream ended by itself; exceptional when
   * refused up front.
   */
  public CompletableFuture<MigrationOutcome> outcome() {
    return run.outcome();
  }
}
