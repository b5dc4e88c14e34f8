package io.spotnest.hosts.ssh;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test opened (SSH servers, providers, wirings), closed last first when it ends; a close
 * that throws stops the rest and fails the test.
 */
public final class OpenResources implements AutoCloseable {
  private final List<AutoCloseable> open = new ArrayList<>();

  /** Keeps {@code t} to close with the rest; returns it. */
  public <T extends AutoCloseable> T remember(T t) {
    open.add(t);
    return t;
  }

  @Override
  public void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }
}
