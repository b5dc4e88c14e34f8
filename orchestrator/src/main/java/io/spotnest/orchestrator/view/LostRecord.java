package io.spotnest.orchestrator.view;

import java.time.Instant;
import java.util.Objects;

/**
 * A build lost with its agent VM.
 *
 * @param hostId the host the agent was on (the one that vanished, when one did; null when unknown)
 * @param requeuedAs the agent requested in its place, or null
 * @param at when the loss was journaled (null for a loss an older controller journaled without its
 *     time)
 */
public record LostRecord(
    String agentId, String hostId, String reason, String requeuedAs, Instant at) {
  public LostRecord {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(reason, "reason");
  }
}
