package io.spotnest.dashboard;

import java.util.Objects;

/**
 * A build lost with its agent VM: mostly because the agent's host vanished before the agent could
 * be moved, also when its VM failed to boot or a move or standing copy left it running nowhere.
 *
 * @param agent the agent that was lost
 * @param host the host the agent was on (the one that vanished, when one did), or null when unknown
 * @param reason what happened, as journaled (e.g. "host h-7 vanished (missing from the cloud
 *     listing)")
 * @param atEpochMs when the loss was journaled, or null for a loss an older controller journaled
 *     without its time
 * @param requeuedAs the agent the orchestrator requested in the lost one's place, or null. Only
 *     where the orchestrator runs the build itself (the CLI) does that agent take the work; in
 *     Jenkins, Jenkins reschedules the build and this agent is withdrawn
 */
public record LossView(
    String agent, String host, String reason, Long atEpochMs, String requeuedAs) {
  public LossView {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(reason, "reason");
  }
}
