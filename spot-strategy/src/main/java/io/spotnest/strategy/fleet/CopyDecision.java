package io.spotnest.strategy.fleet;

import java.util.Objects;

/**
 * Whether an agent on a spot host should keep a standing copy on a backup host (issue 12 Part C):
 * the caller starts a copy where {@code keep} is true and none runs, and stops one where it is
 * false.
 *
 * @param agentId the caller's id of the agent
 * @param hostId the spot host it runs on
 * @param keep whether it should have a standing copy
 * @param basis why, as a value (for counting)
 * @param reason why, for logs
 */
public record CopyDecision(
    String agentId, String hostId, boolean keep, Basis basis, String reason) {
  /** The ground of a decision. */
  public enum Basis {
    /** Kept: every agent on spot, or its expected loss beats the copy's cost. */
    PROTECTED,
    /** Kept: the copy costs less than the spot saving it keeps ({@code AFFORDABLE} mode). */
    AFFORDABLE,
    /** Refused: the expected loss is below the copy's cost (its share of a backup). */
    LOSS_BELOW_COST,
    /** Refused: the expected loss is below the cost of the new backup it would need. */
    LOSS_BELOW_NEW_BACKUP,
    /** Refused: the host link already carries as many standing streams as it keeps up with. */
    HOST_LINK_FULL,
    /** Refused: the agent is migrating (a VM has one outgoing stream). */
    MIGRATING,
    /** Refused: standing copies are off. */
    OFF;

    /** Whether a decision on this ground keeps a copy. */
    public boolean keeps() {
      return this == PROTECTED || this == AFFORDABLE;
    }
  }

  public CopyDecision {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(reason, "reason");
    if (keep != basis.keeps()) {
      throw new IllegalArgumentException("keep=" + keep + " does not match basis " + basis);
    }
  }
}
