package io.spotnest.orchestrator.facade;

import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.model.MarketPolicy;
import io.spotnest.strategy.fleet.CopyRequest;
import java.time.Duration;
import java.util.Objects;

/**
 * A caller's request for one agent VM.
 *
 * @param agentId the caller's name for it (e.g. the Jenkins node name); a request for an id that is
 *     live is a no-op
 * @param template the caller's template it comes from (journaled, shown in the views)
 * @param marketPolicy which capacity it may run on (journaled; placement honours it)
 * @param expectedBuild the expected length of its build
 * @param boot what its VM boots with (journaled: it holds a reference to the secret, never the
 *     secret); its memory is {@code ramMiB}
 * @param copy what it says about a standing copy on a backup host (journaled): the fleet's copy
 *     mode ({@code FleetConfig.copyMode}) decides when an agent that asked gets one, and one that
 *     left it to the fleet only in {@code AT_RISK}; one that refused never does
 */
public record AgentOrder(
    String agentId,
    String template,
    long ramMiB,
    MarketPolicy marketPolicy,
    Duration expectedBuild,
    AgentBootSpec boot,
    CopyRequest copy) {
  public AgentOrder {
    Objects.requireNonNull(copy, "copy");
    if (agentId == null || agentId.isBlank()) {
      throw new IllegalArgumentException("agentId must not be blank");
    }
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(marketPolicy, "marketPolicy");
    Objects.requireNonNull(expectedBuild, "expectedBuild");
    if (ramMiB <= 0) {
      throw new IllegalArgumentException("ramMiB must be positive, got " + ramMiB);
    }
    Objects.requireNonNull(boot, "boot");
    if (boot.ramMiB() != ramMiB) {
      throw new IllegalArgumentException(
          "boot.ramMiB must equal ramMiB (" + ramMiB + "), got " + boot.ramMiB());
    }
  }

  /** An order that asks for a standing copy ({@code standingCopy}) or refuses one. */
  public AgentOrder(
      String agentId,
      String template,
      long ramMiB,
      MarketPolicy marketPolicy,
      Duration expectedBuild,
      AgentBootSpec boot,
      boolean standingCopy) {
    this(
        agentId,
        template,
        ramMiB,
        marketPolicy,
        expectedBuild,
        boot,
        CopyRequest.ofWish(standingCopy));
  }

  /** Whether it asks for a standing copy. */
  public boolean standingCopy() {
    return copy == CopyRequest.ASKED;
  }

  /** An order that refuses a standing copy. */
  public AgentOrder(
      String agentId,
      String template,
      long ramMiB,
      MarketPolicy marketPolicy,
      Duration expectedBuild,
      AgentBootSpec boot) {
    this(agentId, template, ramMiB, marketPolicy, expectedBuild, boot, false);
  }

  /** An order whose VM boots with only its name and memory (no secret), without a standing copy. */
  public AgentOrder(
      String agentId,
      String template,
      long ramMiB,
      MarketPolicy marketPolicy,
      Duration expectedBuild) {
    this(agentId, template, ramMiB, marketPolicy, expectedBuild, nameAndMemory(agentId, ramMiB));
  }

  /** Null for values the canonical constructor refuses (it says why). */
  private static AgentBootSpec nameAndMemory(String agentId, long ramMiB) {
    return agentId == null || agentId.isBlank() || ramMiB <= 0
        ? null
        : AgentBootSpec.minimal(agentId, ramMiB);
  }
}
