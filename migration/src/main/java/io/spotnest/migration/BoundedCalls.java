package io.spotnest.migration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Hypervisor calls with a time limit: a host that stops answering (a dead source, a cut link) makes
 * a call fail with {@link FailureKind#HOST_FAILED} after {@code timeout} instead of blocking its
 * caller. A call that hangs keeps its (daemon) thread until the native call returns.
 *
 * <p>With an end set ({@link #endBy}), a call is also bounded by the time left until that end
 * (never less than the floor, so a host that answers is still heard after it): near a caller's
 * deadline no call outlives it by more than the floor. A host that did not answer a call so cut
 * short counts as silent for the rest of the run: it is not asked again, so a chain of calls costs
 * at most one floor per host past the end.
 */
final class BoundedCalls implements AutoCloseable {

  private final Duration timeout;
  private final Duration floor;
  private final Clock clock;
  private final Set<String> silent = ConcurrentHashMap.newKeySet();
  private volatile Instant end;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(DaemonThreads.named("spotnest-hypervisor-call"));

  /** Calls bounded by {@code timeout} alone. */
  BoundedCalls(Duration timeout) {
    this(timeout, timeout, Clock.systemUTC());
  }

  /**
   * @param floor the least time a call is given once the end is near or past
   * @param clock the clock the end is on
   */
  BoundedCalls(Duration timeout, Duration floor, Clock clock) {
    this.timeout = timeout;
    this.floor = floor.compareTo(timeout) < 0 ? floor : timeout;
    this.clock = clock;
  }

  /** From now on calls end by {@code instant} (or within the floor); null: no end. */
  BoundedCalls endBy(Instant instant) {
    this.end = instant;
    return this;
  }

  /** Whether the end has come. */
  boolean pastEnd() {
    Instant e = end;
    return e != null && !clock.instant().isBefore(e);
  }

  /** The hosts that did not answer before the end, in no order. */
  List<String> silentHosts() {
    return List.copyOf(silent);
  }

  <T> T call(String host, String what, Supplier<T> call) {
    if (silent.contains(host)) {
      throw new MigrationException(
          FailureKind.HOST_FAILED,
          "host " + host + " did not answer before the end of the run's time: not asked " + what);
    }
    Duration bound = bound();
    boolean cut = bound.compareTo(timeout) < 0;
    Future<T> f = pool.submit(call::get);
    try {
      return f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      if (cut) {
        silent.add(host);
      }
      throw new MigrationException(
          FailureKind.HOST_FAILED,
          "host "
              + host
              + " did not answer "
              + what
              + " within "
              + bound.toMillis()
              + " ms"
              + (cut ? " (the time left before the caller's deadline)" : ""));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR,
          what + " on host " + host + " failed: " + e.getCause(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw new MigrationException(
          FailureKind.HOST_FAILED, "interrupted while waiting for " + what + " on " + host);
    }
  }

  void run(String host, String what, Runnable call) {
    call(
        host,
        what,
        () -> {
          call.run();
          return null;
        });
  }

  /** The timeout, or the time left until the end when that is shorter (at least the floor). */
  private Duration bound() {
    Instant e = end;
    if (e == null) {
      return timeout;
    }
    Duration left = Duration.between(clock.instant(), e);
    if (left.compareTo(floor) < 0) {
      left = floor;
    }
    return left.compareTo(timeout) < 0 ? left : timeout;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
