package io.spotnest.cli;

import io.spotnest.testbed.DaemonThreads;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Progress of a long command, on stderr so that stdout keeps only the result lines scripts parse.
 * Phases are always shown; counted steps at most once per {@code minGap} (and the last one always);
 * a long single piece of work shows a heartbeat. Lines read {@code [simulate] fitting the risk
 * model ...}.
 */
final class Progress {
  private final PrintWriter err;
  private final String task;
  private final LongSupplier nanoClock;
  private final long minGapNanos;
  private final Duration heartbeat;
  private final long startNanos;
  private long lastStepNanos;
  private boolean stepShown;

  Progress(
      PrintWriter err, String task, LongSupplier nanoClock, Duration minGap, Duration heartbeat) {
    this.err = err;
    this.task = task;
    this.nanoClock = nanoClock;
    this.minGapNanos = minGap.toNanos();
    this.heartbeat = heartbeat;
    this.startNanos = nanoClock.getAsLong();
  }

  /**
   * Progress of the command {@code spec}, on its stderr: steps at most once a second, a heartbeat
   * every 5 s.
   */
  static Progress of(CommandSpec spec) {
    return new Progress(
        spec.commandLine().getErr(),
        CliErrors.commandName(spec),
        System::nanoTime,
        Duration.ofSeconds(1),
        Duration.ofSeconds(5));
  }

  /** A new phase of the work: always shown. */
  synchronized void phase(String text) {
    print(text);
  }

  /**
   * Step {@code done} of {@code total} of {@code what}: shown unless a step was shown less than
   * minGap ago.
   */
  synchronized void step(String what, long done, long total) {
    show(what + " " + done + "/" + total, done >= total);
  }

  /** A sample of ongoing work: shown unless a step or sample was shown less than minGap ago. */
  synchronized void update(String text) {
    show(text, false);
  }

  private void show(String text, boolean always) {
    long now = nanoClock.getAsLong();
    if (always || !stepShown || now - lastStepNanos >= minGapNanos) {
      print(text);
      lastStepNanos = now;
      stepShown = true;
    }
  }

  /** Runs one long piece of work, announced as a phase, with a heartbeat while it lasts. */
  <T> T during(String what, Supplier<T> work) {
    phase(what + " ...");
    long started = nanoClock.getAsLong();
    ScheduledExecutorService beat =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("spotnest-progress"));
    beat.scheduleAtFixedRate(
        () ->
            phase(
                String.format(
                    Locale.ROOT,
                    "still %s (%.0f s)",
                    what,
                    (nanoClock.getAsLong() - started) / 1e9)),
        heartbeat.toMillis(),
        heartbeat.toMillis(),
        TimeUnit.MILLISECONDS);
    try {
      return work.get();
    } finally {
      beat.shutdownNow();
      try {
        beat.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The closing phase, with the time since this progress started. */
  synchronized void finished(String what) {
    print(
        String.format(
            Locale.ROOT, "%s in %.1f s", what, (nanoClock.getAsLong() - startNanos) / 1e9));
  }

  private void print(String text) {
    err.println("[" + task + "] " + text);
    err.flush();
  }
}
