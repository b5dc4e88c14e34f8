package io.spotnest.dashboard;

import java.util.concurrent.atomic.AtomicReference;

/** An in-memory {@link DashboardSource} whose snapshot a test sets. */
final class FixedSource implements DashboardSource {
  private final AtomicReference<DashboardSnapshot> current;

  FixedSource(DashboardSnapshot initial) {
    current = new AtomicReference<>(initial);
  }

  void set(DashboardSnapshot next) {
    current.set(next);
  }

  @Override
  public DashboardSnapshot snapshot() {
    return current.get();
  }
}
