package io.spotnest.jenkins.orchestrator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Logger;

/**
 * What building a fleet opened (SDK clients, threads, event pumps, SSH tunnels, libvirt
 * connections), closed in the reverse order: when the fleet is replaced or Jenkins stops, or at
 * once when building fails half-way. A failure to close one is logged (its type and message only)
 * and the others are still closed.
 */
final class OpenedResources implements AutoCloseable {
  private static final Logger LOGGER = Logger.getLogger(OpenedResources.class.getName());

  private record Opened(String what, AutoCloseable closing) {}

  private final Deque<Opened> open = new ArrayDeque<>();
  private final List<String> closed = new ArrayList<>();

  /** Records {@code resource}, closed by {@code closing}; returns it. */
  synchronized <T> T add(String what, T resource, AutoCloseable closing) {
    open.push(new Opened(what, closing));
    return resource;
  }

  /** Records a resource that closes itself. */
  <T extends AutoCloseable> T add(String what, T resource) {
    return add(what, resource, resource);
  }

  /** Closes everything still open, the last opened first. */
  @Override
  public synchronized void close() {
    while (!open.isEmpty()) {
      Opened o = open.pop();
      try {
        o.closing().close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOGGER.warning("SpotNest: closing " + o.what() + " was interrupted");
      } catch (Exception | LinkageError e) {
        LOGGER.warning("SpotNest: closing " + o.what() + " failed: " + e);
      }
      closed.add(o.what());
    }
  }

  /** What was closed so far, in order. */
  synchronized List<String> closed() {
    return List.copyOf(closed);
  }
}
