package io.spotnest.orchestrator.port;

import java.util.Objects;

/**
 * A launch the cloud could not fulfil (no capacity in its pool, a cap, a fatal error): it will
 * never show up in the listing.
 *
 * @param launchKey the caller key it was asked for with
 * @param reason the provider's words, for the log and the journal
 * @param cause the provider's class of the failure, which decides how the pool is held
 */
public record FailedLaunch(String launchKey, String reason, LaunchFailureCause cause) {
  public FailedLaunch {
    Objects.requireNonNull(launchKey, "launchKey");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(cause, "cause");
  }

  /** A failure whose provider gave no class ({@link LaunchFailureCause#OTHER}). */
  public FailedLaunch(String launchKey, String reason) {
    this(launchKey, reason, LaunchFailureCause.OTHER);
  }
}
