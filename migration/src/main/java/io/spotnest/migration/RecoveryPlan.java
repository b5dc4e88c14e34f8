package io.spotnest.migration;

import java.util.Set;

/**
 * What recovery does: which copy of the VM is kept, and what is resumed or removed.
 *
 * @param keep the copy that runs afterwards
 * @param steps actions, applied in the order of {@link Step}
 * @param reason why, in words
 */
public record RecoveryPlan(Keep keep, Set<Step> steps, String reason) {

  /** The copy that is kept. */
  public enum Keep {
    SOURCE,
    DESTINATION,
    /** No copy can run: the VM is lost (the reason says why); nothing is resumed. */
    NOWHERE,
    /**
     * Not safe to decide now (a call or job in flight, a host that does not answer): touch nothing.
     */
    UNDECIDED
  }

  /** An action on one side; removals take the domain and its overlay. */
  public enum Step {
    RESUME_SOURCE,
    RESUME_DESTINATION,
    REMOVE_SOURCE,
    REMOVE_DESTINATION,
    /**
     * Continue a post-copy that broke on both sides with libvirt's post-copy resume: the
     * destination holds the guest's newest CPU state, the source the pages not yet sent, so neither
     * copy is resumed or removed on its own. Made by the migration run, not by reconciliation.
     */
    RESUME_POST_COPY
  }

  public RecoveryPlan {
    steps = Set.copyOf(steps);
    if (keep == Keep.UNDECIDED
        && (steps.contains(Step.RESUME_SOURCE)
            || steps.contains(Step.RESUME_DESTINATION)
            || steps.contains(Step.RESUME_POST_COPY))) {
      throw new IllegalArgumentException("an undecided recovery resumes nothing");
    }
  }

  /** Whether the VM still needs a post-copy resume to run anywhere. */
  public boolean resumesPostCopy() {
    return steps.contains(Step.RESUME_POST_COPY);
  }

  static RecoveryPlan of(Keep keep, String reason, Step... steps) {
    return new RecoveryPlan(keep, Set.of(steps), reason);
  }
}
