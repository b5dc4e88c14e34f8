package io.spotnest.migration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The standing phase of a standing copy: a pre-copy stream to the backup host started with a
 * downtime limit so small (1 ms) that QEMU does not switch over, so it keeps re-sending dirtied
 * pages (and the overlay mirror stays in sync) until a notice. It holds the run ({@link
 * MigrationRun.Hold}) until one of: a flush (the downtime limit is raised as {@link FlushChoice}
 * says and the run is watched to the flush's deadline), a stop (the run is cancelled: the VM stays
 * on the source and the backup's copy goes), or the stream ending by itself — an idle guest whose
 * few dirty pages fit even 1 ms converges, which is a finished move to the backup; an error is a
 * broken stream, settled like any failed migration.
 */
final class StandingCopy implements MigrationRun.Hold {

  /** How long a stream's rate is averaged over for a flush estimate. */
  static final Duration RATE_WINDOW = Duration.ofSeconds(2);

  private final MigrationSettings asked;
  private final StandbyMemory memory;
  private final Clock clock;
  private final Duration margin;
  private final AtomicReference<Instant> flushBy = new AtomicReference<>();

  /** Completes on a flush or stop request: the hold stops waiting for a job-statistics read. */
  private final CompletableFuture<Void> requested = new CompletableFuture<>();

  private volatile boolean stop;
  private volatile StandingCopyHandle.State state = StandingCopyHandle.State.STARTING;
  private volatile MigrationProgress last;
  private volatile long recentBytesPerSecond;
  private final Deque<MigrationProgress> window = new ArrayDeque<>();
  private final PendingPeak pending = new PendingPeak();

  /**
   * @param asked the caller's settings: the downtime limit after a flush is at least their
   *     maxDowntime, and post-copy is used only where their policy allows
   * @param memory where the backup holds the copy's memory
   * @param margin the engine's safety margin: taken off a flush's deadline, as off a move's, so
   *     that the abort, settling and reporting end by the caller's deadline
   */
  StandingCopy(MigrationSettings asked, StandbyMemory memory, Clock clock, Duration margin) {
    this.asked = asked;
    this.memory = memory;
    this.clock = clock;
    this.margin = margin;
  }

  /**
   * The settings the stream runs with: no auto-converge (it would force convergence), a 1 ms
   * downtime limit.
   */
  static MigrationSettings streamSettings(MigrationSettings asked) {
    return asked.withAutoConverge(false).withMaxDowntime(Duration.ofMillis(1));
  }

  StandingCopyHandle.State state() {
    return state;
  }

  Optional<MigrationProgress> last() {
    return Optional.ofNullable(last);
  }

  /**
   * Bytes (memory and disk) the stream moved per second since it started, 0 before the first
   * sample.
   */
  long averageBytesPerSecond() {
    MigrationProgress p = last;
    if (p == null || p.elapsed().toMillis() <= 0) {
      return 0;
    }
    return (p.memoryProcessed() + p.diskProcessed()) * 1000 / p.elapsed().toMillis();
  }

  /** Bytes per second over the last {@link #RATE_WINDOW} (what a flush estimate uses). */
  long recentBytesPerSecond() {
    return recentBytesPerSecond;
  }

  /** Asks for a flush by {@code deadline}; the first request wins. */
  void flush(Instant deadline) {
    flushBy.compareAndSet(null, deadline);
    requested.complete(null);
  }

  void stop() {
    stop = true;
    requested.complete(null);
  }

  /**
   * For {@link StandbyMemory#FILE}: the source's migratable definition with file-backed, shared
   * memory ({@link DomainXml#withFileMemory}); none for {@link StandbyMemory#RAM}. libvirt migrates
   * a VM only to the same memory source (its ABI check), so a VM whose memory is not a file on its
   * source ({@link AgentVmSpec#fileMemory()}) is refused here, before the stream starts.
   */
  @Override
  public String destinationXml(Hypervisor src, String vm, BoundedCalls calls) {
    if (memory == StandbyMemory.RAM) {
      return null;
    }
    String xml =
        calls.call(src.endpoint().name(), "the VM's definition", () -> src.migratableXml(vm));
    String source = DomainXml.memorySource(xml);
    if (!"file".equals(source)) {
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR,
          "a standby in a file needs "
              + vm
              + "'s memory in a file on its source (libvirt keeps a migration's memory source),"
              + " but its memory source is "
              + (source.isEmpty() ? "anonymous RAM" : "'" + source + "'"));
    }
    return DomainXml.withFileMemory(xml);
  }

  @Override
  public MigrationRun.Held hold(
      Hypervisor src,
      String vm,
      CompletableFuture<Void> call,
      BoundedCalls calls,
      MigrationListener events) {
    MigrationSettings run = streamSettings(asked);
    state = StandingCopyHandle.State.STANDING;
    // job statistics are read on a thread of their own, so that a source that stops answering
    // during a read does not hold a flush back by the call's timeout
    ExecutorService reader =
        Executors.newSingleThreadExecutor(DaemonThreads.named("spotnest-standing-sample"));
    try {
      return stand(src, vm, call, calls, events, run, reader);
    } finally {
      reader.shutdownNow();
    }
  }

  private MigrationRun.Held stand(
      Hypervisor src,
      String vm,
      CompletableFuture<Void> call,
      BoundedCalls calls,
      MigrationListener events,
      MigrationSettings run,
      ExecutorService reader) {
    boolean limitReasserted = false;
    while (true) {
      try {
        call.get(run.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        return ended(
            null,
            "the standing copy converged on its own (its dirty pages fit the 1 ms limit): a finished "
                + "move to the backup");
      } catch (ExecutionException e) {
        return ended(e.getCause(), "the standing stream broke before a flush");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        state = StandingCopyHandle.State.FLUSHING;
        return new MigrationRun.Held(
            clock.instant(),
            clock.instant(),
            run,
            null,
            List.of("the standing copy's thread was interrupted: aborted"));
      } catch (TimeoutException e) {
        CompletableFuture<MigrationProgress> read =
            CompletableFuture.supplyAsync(() -> sample(src, vm, calls, events), reader);
        CompletableFuture.anyOf(read, requested).join();
        MigrationProgress p = read.getNow(null);
        if (p != null && !limitReasserted && p.memoryProcessed() > 0 && !requested.isDone()) {
          // once the memory phase runs, the limit is set again in case the job's start re-applied
          // another
          limitReasserted = reassert(src, vm, calls, run.maxDowntime());
        }
      }
      if (stop) {
        state = StandingCopyHandle.State.FLUSHING;
        return new MigrationRun.Held(
            clock.instant().plus(Duration.ofDays(1)),
            clock.instant(),
            run,
            null,
            List.of("standing copy stopped by the caller"));
      }
      Instant by = flushBy.get();
      if (by != null) {
        return flush(src, vm, calls, run, by);
      }
    }
  }

  /**
   * Raises the downtime limit (or switches to post-copy) and hands the run on to be watched to the
   * caller's flush deadline {@code callerBy} less the engine's safety margin, the deadline rule of
   * a move ({@link MigrationEngine}), the limit lowered as that nears; or, when the flush cannot
   * fit ({@link FlushChoice#refused()}), hands it on refused: the stream is cancelled at once.
   */
  private MigrationRun.Held flush(
      Hypervisor src, String vm, BoundedCalls calls, MigrationSettings run, Instant callerBy) {
    state = StandingCopyHandle.State.FLUSHING;
    Instant by = callerBy.minus(margin);
    Instant now = clock.instant();
    Duration left = Duration.between(now, by);
    FlushChoice choice =
        FlushChoice.choose(
            pending.pendingBytes(),
            recentBytesPerSecond,
            left.isNegative() ? Duration.ZERO : left,
            asked);
    if (choice.refused()) {
      // the limit stays as it stands, so the stream is still a pre-copy that an abort stops
      return new MigrationRun.Held(
          by, now, run, null, List.of(), null, "the flush was refused: " + choice.reason());
    }
    List<String> notes = new ArrayList<>();
    notes.add("flushed the standing copy: " + choice.reason());
    calls.endBy(by); // the raise is bounded like the run's other calls, never past the abort time
    try {
      calls.run(
          src.endpoint().name(),
          "the flush's downtime limit",
          () -> src.setMaxDowntime(vm, choice.downtime()));
    } catch (RuntimeException e) {
      notes.add("raising the downtime limit failed: " + e.getMessage());
    }
    MigrationSettings watchWith =
        choice.postCopyNow() ? run.withPostCopy(PostCopyPolicy.after(Duration.ZERO)) : run;
    return new MigrationRun.Held(by, now, watchWith, null, notes, choice.downtime(), null);
  }

  private MigrationRun.Held ended(Throwable error, String note) {
    state = StandingCopyHandle.State.FLUSHING;
    return new MigrationRun.Held(
        clock.instant(),
        clock.instant(),
        streamSettings(asked),
        new MigrationWatch.Result(error, true, false, false, false, last, List.of(), false),
        List.of(note));
  }

  private static boolean reassert(Hypervisor src, String vm, BoundedCalls calls, Duration limit) {
    try {
      calls.run(
          src.endpoint().name(),
          "the standing downtime limit",
          () -> src.setMaxDowntime(vm, limit));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private MigrationProgress sample(
      Hypervisor src, String vm, BoundedCalls calls, MigrationListener events) {
    JobStats js;
    try {
      js = calls.call(src.endpoint().name(), "job statistics", () -> src.jobStats(vm));
    } catch (RuntimeException e) {
      return null; // the stream may be ending, or the source does not answer: the call's end tells
    }
    if (!js.active()) {
      return null;
    }
    MigrationProgress p = js.progress(false);
    if (requested.isDone()) {
      return null; // a read that outlasted the flush's start: the watch reports progress now
    }
    events.onProgress(p);
    if (last == null || p.elapsed().compareTo(last.elapsed()) >= 0) {
      last = p;
      pending.add(p);
      window.addLast(p);
      while (window.size() > 2
          && p.elapsed().minus(window.peekFirst().elapsed()).compareTo(RATE_WINDOW) > 0) {
        window.removeFirst();
      }
      MigrationProgress first = window.peekFirst();
      long ms = p.elapsed().minus(first.elapsed()).toMillis();
      if (ms > 0) {
        long moved =
            p.memoryProcessed()
                + p.diskProcessed()
                - first.memoryProcessed()
                - first.diskProcessed();
        recentBytesPerSecond = Math.max(0, moved * 1000 / ms);
      }
    }
    return p;
  }
}
