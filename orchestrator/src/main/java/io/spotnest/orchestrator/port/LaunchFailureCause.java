package io.spotnest.orchestrator.port;

/** Why the cloud could not fulfil a launch, as the host provider classified it. */
public enum LaunchFailureCause {
  /** The pool has no capacity right now; it may have some again soon. */
  NO_CAPACITY,
  /** The offering does not exist there (the type is not offered in the zone, or not as spot). */
  UNSUPPORTED,
  /** An account quota or the provider's cap is used up: no host until others go away. */
  QUOTA,
  /**
   * Anything else (a bad request, permissions, an unknown outcome), or the provider did not say.
   */
  OTHER
}
