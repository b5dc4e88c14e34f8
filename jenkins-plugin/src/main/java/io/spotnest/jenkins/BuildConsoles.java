package io.spotnest.jenkins;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console of every running build: Jenkins hands each build's own {@link TaskListener} to {@link
 * RunListener#onStarted} (freestyle and Pipeline alike) and keeps it open until the build
 * completes, so a line printed there lands in that build's log. A build's log file itself is not
 * writable from outside.
 */
@Extension
public final class BuildConsoles extends RunListener<Run<?, ?>> {
  private final Map<Run<?, ?>, TaskListener> open = new ConcurrentHashMap<>();

  @Override
  public void onStarted(Run<?, ?> run, TaskListener listener) {
    open.put(run, listener);
  }

  @Override
  public void onCompleted(Run<?, ?> run, TaskListener listener) {
    open.remove(run);
  }

  @Override
  public void onFinalized(Run<?, ?> run) {
    open.remove(run);
  }

  /** The console of the build while it runs; empty before it started or once it completed. */
  public Optional<TaskListener> of(Run<?, ?> run) {
    return Optional.ofNullable(open.get(run));
  }
}
