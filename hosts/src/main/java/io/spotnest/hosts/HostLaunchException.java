package io.spotnest.hosts;

/**
 * No host could be launched: every allowed pool and market failed, a cap was reached, or the error
 * was fatal.
 */
public class HostLaunchException extends RuntimeException {
  public HostLaunchException(String message) {
    super(message);
  }

  public HostLaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
