package io.spotnest.dashboard;

import java.util.Objects;

/**
 * One live migration of an agent between hosts.
 *
 * @param pauseMs how long the guest was paused (the switch-over downtime)
 * @param reason why it moved (risk, notice, move back, consolidation)
 */
public record MigrationView(
    String agent,
    String from,
    String to,
    long startEpochMs,
    long durationMs,
    long pauseMs,
    String reason) {
  public MigrationView {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    Values.nonNegative("durationMs", durationMs);
    Values.nonNegative("pauseMs", pauseMs);
    if (pauseMs > durationMs) {
      throw new IllegalArgumentException(
          "pauseMs " + pauseMs + " exceeds durationMs " + durationMs);
    }
  }
}
