package io.spotnest.hosts;

import java.util.concurrent.ThreadFactory;

/**
 * Named daemon threads: a background thread that must never keep the JVM alive, named for what it
 * does so that a thread dump tells which part of the host providers it belongs to.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A factory for executors whose threads are daemons called {@code name}. */
  public static ThreadFactory named(String name) {
    return body -> {
      Thread thread = new Thread(body, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Runs {@code body} on a new daemon thread called {@code name}, already started. */
  public static Thread start(String name, Runnable body) {
    Thread thread = named(name).newThread(body);
    thread.start();
    return thread;
  }
}
