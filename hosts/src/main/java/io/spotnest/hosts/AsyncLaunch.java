package io.spotnest.hosts;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A {@link HostLaunch} that runs a blocking launch on an executor. {@link #cancel()} stops it at
 * the body's next check of {@link #isCancelled()} and undoes what it created exactly once: right
 * after the body returns, or at once when it had already returned.
 */
public final class AsyncLaunch implements HostLaunch {
  private static final System.Logger LOG = System.getLogger(AsyncLaunch.class.getName());

  /** The blocking launch; it checks {@link AsyncLaunch#isCancelled()} between steps. */
  @FunctionalInterface
  public interface Body {
    Host run(AsyncLaunch launch);
  }

  /**
   * Undoes what a cancelled launch created: {@code host} if the body returned one, else whatever it
   * may have made.
   */
  @FunctionalInterface
  public interface Undo {
    void undo(AsyncLaunch launch, Host hostOrNull);
  }

  private final String key;
  private final Executor executor;
  private final Undo undo;
  private final CompletableFuture<Host> future = new CompletableFuture<>();
  private final CompletableFuture<Void> undone = new CompletableFuture<>();
  private boolean cancelled;
  private boolean finished;
  private boolean undoStarted;
  private Host host;

  private AsyncLaunch(String key, Executor executor, Undo undo) {
    this.key = Objects.requireNonNull(key, "key");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.undo = Objects.requireNonNull(undo, "undo");
  }

  /** Starts {@code body} on {@code executor}. */
  public static AsyncLaunch start(String key, Executor executor, Body body, Undo undo) {
    AsyncLaunch launch = new AsyncLaunch(key, executor, undo);
    executor.execute(() -> launch.run(body));
    return launch;
  }

  /** An executor that runs each launch on a new daemon thread. */
  public static Executor threadPerLaunch() {
    return r -> DaemonThreads.start("spotnest-launch", r);
  }

  private void run(Body body) {
    Host h = null;
    Throwable failure = null;
    try {
      h = body.run(this);
    } catch (Throwable t) {
      failure = t;
    }
    boolean undoNow;
    synchronized (this) {
      finished = true;
      host = h;
      undoNow = cancelled;
    }
    if (undoNow) {
      runUndo();
    } else if (failure != null) {
      future.completeExceptionally(failure);
    } else {
      future.complete(h);
    }
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public CompletableFuture<Host> result() {
    return mirror(future);
  }

  /** True once {@link #cancel()} was called. */
  public synchronized boolean isCancelled() {
    return cancelled;
  }

  /** True once the body returned or failed. */
  public synchronized boolean isFinished() {
    return finished;
  }

  /**
   * Completes when a cancelled launch's clean-up has run (never completes if it is not cancelled).
   */
  public CompletableFuture<Void> undone() {
    return mirror(undone);
  }

  /**
   * A copy that, unlike {@link CompletableFuture#copy()}, is itself cancelled when the source is.
   */
  private static <T> CompletableFuture<T> mirror(CompletableFuture<T> source) {
    CompletableFuture<T> copy = new CompletableFuture<>();
    source.whenComplete(
        (value, failure) -> {
          if (failure instanceof CancellationException) {
            copy.cancel(false);
          } else if (failure != null) {
            copy.completeExceptionally(failure);
          } else {
            copy.complete(value);
          }
        });
    return copy;
  }

  @Override
  public void cancel() {
    boolean undoNow;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      undoNow = finished;
    }
    future.cancel(false);
    if (undoNow) {
      executor.execute(this::runUndo);
    }
  }

  private void runUndo() {
    Host h;
    synchronized (this) {
      if (undoStarted) {
        return;
      }
      undoStarted = true;
      h = host;
    }
    future.cancel(false);
    try {
      undo.undo(this, h);
      undone.complete(null);
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cleaning up cancelled launch "
              + key
              + " failed; its host is left to orphan reconciliation",
          e);
      undone.completeExceptionally(e);
    }
  }
}
