package io.spotnest.migration;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The hypervisor connections of one run, closed without holding its outcome: libvirt's close asks
 * the daemon and waits for its answer, so closing the connection to a host behind a cut link waits
 * for the connection's keepalive (CI: an outcome aborted in time came 43 s after the caller's
 * deadline). {@link #close} closes them, newest first, on a daemon thread of their own and waits at
 * most {@link #CLOSE_WAIT_MS} ms for it; a close still waiting ends in the background. Connections
 * a late clean-up still uses ({@link #closeAfter}) are not waited for at all.
 */
final class RunConnections implements AutoCloseable {

  /** How long the run waits for its connections to close before it reports its outcome. */
  static final long CLOSE_WAIT_MS = 1000;

  private final String vmName;
  private final Deque<Hypervisor> open = new ArrayDeque<>();
  private CompletableFuture<?> inUse = CompletableFuture.completedFuture(null);

  RunConnections(String vmName) {
    this.vmName = vmName;
  }

  /** Keeps {@code hv} to be closed with the others; returns it. */
  Hypervisor add(Hypervisor hv) {
    open.push(hv);
    return hv;
  }

  /**
   * The connections stay open until {@code stillInUse} completes (a run that cleans its destination
   * once libvirt's call returns), at most {@link #USE_WAIT_MINUTES} minutes.
   */
  void closeAfter(CompletableFuture<?> stillInUse) {
    this.inUse = stillInUse;
  }

  /** The longest the connections wait for a run's late clean-up before they are closed anyway. */
  static final long USE_WAIT_MINUTES = 5;

  @Override
  public void close() {
    Deque<Hypervisor> closing = new ArrayDeque<>(open);
    open.clear();
    CompletableFuture<?> pending = inUse;
    if (closing.isEmpty()) {
      return;
    }
    // connections still in use close later; waiting here would only hold the outcome
    boolean closingNow = pending.isDone();
    Thread t =
        DaemonThreads.start(
            "spotnest-close-" + vmName,
            () -> {
              pending
                  .handle((r, e) -> null)
                  .completeOnTimeout(null, USE_WAIT_MINUTES, TimeUnit.MINUTES)
                  .join();
              for (Hypervisor hv : closing) {
                try {
                  hv.close();
                } catch (RuntimeException e) {
                  // a broken connection: nothing left to release
                }
              }
            });
    if (!closingNow) {
      return;
    }
    try {
      t.join(CLOSE_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
