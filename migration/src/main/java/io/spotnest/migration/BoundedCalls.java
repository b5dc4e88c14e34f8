package io.spotnest.migration;

import java.time.Duration;
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
 */
final class BoundedCalls implements AutoCloseable {

  private final Duration timeout;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(DaemonThreads.named("spotnest-hypervisor-call"));

  BoundedCalls(Duration timeout) {
    this.timeout = timeout;
  }

  <T> T call(String host, String what, Supplier<T> call) {
    Future<T> f = pool.submit(call::get);
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new MigrationException(
          FailureKind.HOST_FAILED,
          "host " + host + " did not answer " + what + " within " + timeout.toMillis() + " ms");
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

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
