package io.spotnest.orchestrator.view;

import io.spotnest.orchestrator.lifecycle.AgentPhase;
import java.time.Instant;
import java.util.Objects;

/**
 * One agent that is not gone.
 *
 * @param hostId its host, or null while requested
 * @param template the template it was asked for with, or null
 * @param marketPolicy the market policy it was asked for with, or null
 * @param busySince when its build started, or null
 * @param replaces the lost agent it was requeued for, or null
 */
public record AgentSnapshot(
    String id,
    AgentPhase phase,
    String hostId,
    long ramMiB,
    String template,
    String marketPolicy,
    Instant busySince,
    String replaces) {
  public AgentSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(phase, "phase");
  }
}
