package io.spotnest.jenkins;

import java.util.Objects;

/**
 * What Jenkins did with one build that ran on a lost agent.
 *
 * @param build the build, as Jenkins identifies it (e.g. {@code folder/app#7})
 * @param requeue its job's queue item, or why Jenkins refused to reschedule it
 */
public record BuildOutcome(String build, Requeue requeue) {
  public BuildOutcome {
    Objects.requireNonNull(build, "build");
    Objects.requireNonNull(requeue, "requeue");
  }

  /** "app#7 rescheduled as queue item 42", or "app#7: Jenkins refused to reschedule it: why". */
  public String describe() {
    return requeue.accepted()
        ? build + " rescheduled as " + requeue.detail()
        : build + ": Jenkins refused to reschedule it: " + requeue.detail();
  }
}
