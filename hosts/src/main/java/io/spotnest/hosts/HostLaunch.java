package io.spotnest.hosts;

import java.util.concurrent.CompletableFuture;

/** A launch in progress: its result, and a way to call it off. */
public interface HostLaunch {

  /** The caller's key of this launch. */
  String key();

  /**
   * Completes with the host, exceptionally with a {@link HostLaunchException} (or the provider's
   * failure), or is cancelled after {@link #cancel()}. A copy: completing or cancelling it does not
   * affect the launch.
   */
  CompletableFuture<Host> result();

  /**
   * Calls the launch off: no further attempt is made, and whatever it created is terminated, also
   * when the launch had already completed. Idempotent; returns at once (the clean-up runs on the
   * launch's thread).
   */
  void cancel();
}
