package io.spotnest.dashboard;

import java.util.Objects;

/**
 * A build lost with its agent because the agent's host vanished before the agent could be moved.
 *
 * @param agent the agent that was lost
 * @param vanishedHost the host that vanished, or null when unknown
 * @param reason why, as journaled (e.g. "host h-7 vanished (spot reclaimed)")
 * @param atEpochMs when the loss was recorded, or null when it was replayed from the journal of an
 *     earlier run (the journal does not keep the time)
 * @param requeuedAs the agent the orchestrator requested in the lost one's place, or null. Only
 *     where the orchestrator runs the build itself (the CLI) does that agent take the work; in
 *     Jenkins, Jenkins reschedules the build and this agent is withdrawn
 */
public record LossView(
    String agent, String vanishedHost, String reason, Long atEpochMs, String requeuedAs) {
  public LossView {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(reason, "reason");
  }
}
