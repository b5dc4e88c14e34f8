package io.spotnest.dashboard;

/**
 * The dashboard's read-only port: whatever runs agents (the orchestrator, a trace replay, a test)
 * implements it. Called from the server's threads on every request; must be thread-safe and must
 * not block for long.
 */
public interface DashboardSource {

  /** What there is to show now. */
  DashboardSnapshot snapshot();
}
