package io.spotnest.hosts;

/**
 * Thrown when asked to act on a resource the provider does not own (untagged, foreign, or unknown).
 */
public class NotOwnedException extends RuntimeException {
  public NotOwnedException(String hostId, String why) {
    super("host " + hostId + " is not managed by this provider: " + why);
  }
}
