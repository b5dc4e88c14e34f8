package io.spotnest.orchestrator.facade;

import java.time.Duration;
import java.util.Objects;

/**
 * A caller's request for one agent VM.
 *
 * @param agentId the caller's name for it (e.g. the Jenkins node name); a request for an id that is
 *     live is a no-op
 * @param template the caller's template it comes from (journaled, shown in the views)
 * @param marketPolicy which capacity it may run on (journaled; placement does not yet tell the
 *     policies apart)
 * @param expectedBuild the expected length of its build
 */
public record AgentOrder(
    String agentId,
    String template,
    long ramMiB,
    MarketPolicy marketPolicy,
    Duration expectedBuild) {
  public AgentOrder {
    if (agentId == null || agentId.isBlank()) {
      throw new IllegalArgumentException("agentId must not be blank");
    }
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(marketPolicy, "marketPolicy");
    Objects.requireNonNull(expectedBuild, "expectedBuild");
    if (ramMiB <= 0) {
      throw new IllegalArgumentException("ramMiB must be positive, got " + ramMiB);
    }
  }

  /** Which capacity an agent may run on. */
  public enum MarketPolicy {
    SPOT_ONLY,
    PREFER_SPOT,
    ON_DEMAND_ONLY
  }
}
