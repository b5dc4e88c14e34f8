package io.spotnest.hosts;

/**
 * Why a launch failed, as the provider classified it: what a controller needs to decide how long to
 * leave the offering alone.
 */
public enum LaunchFailure {
  /** The offering has no capacity right now (it may have some again soon). */
  NO_CAPACITY,
  /** The offering does not exist here (this instance type in this zone, spot on static hosts). */
  UNSUPPORTED,
  /** An account quota or a configured cap is used up: no host until others go away. */
  QUOTA,
  /** Anything else: a bad request, permissions, an unknown outcome, an interruption. */
  OTHER
}
