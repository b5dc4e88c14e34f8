package io.spotnest.orchestrator.view;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The orchestrator's read-only query facade: the latest {@link FleetSnapshot}, published by the
 * thread that drives the orchestrator after every tick and command. Safe to read from any thread;
 * never blocks.
 */
public final class FleetView {
  private final AtomicReference<FleetSnapshot> current;

  public FleetView(FleetSnapshot initial) {
    current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
  }

  /** The latest published snapshot. */
  public FleetSnapshot snapshot() {
    return current.get();
  }

  /** Publishes {@code next}; only the orchestrator's driver calls this. */
  public void publish(FleetSnapshot next) {
    current.set(Objects.requireNonNull(next, "next"));
  }
}
