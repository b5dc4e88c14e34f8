package io.spotnest.hosts;

import java.util.Objects;

/**
 * No host could be launched: every allowed pool and market failed, a cap was reached, or the error
 * was fatal. {@link #failure()} says which, as the provider classified it.
 */
public class HostLaunchException extends RuntimeException {
  private final LaunchFailure failure;

  /** A failure of class {@link LaunchFailure#OTHER}. */
  public HostLaunchException(String message) {
    this(LaunchFailure.OTHER, message);
  }

  /** A failure of class {@link LaunchFailure#OTHER}. */
  public HostLaunchException(String message, Throwable cause) {
    this(LaunchFailure.OTHER, message, cause);
  }

  public HostLaunchException(LaunchFailure failure, String message) {
    super(message);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public HostLaunchException(LaunchFailure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  /** Why the launch failed. */
  public LaunchFailure failure() {
    return failure;
  }

  /**
   * The class of a launch's failure {@code t} (or of the first {@link HostLaunchException} among
   * its causes, e.g. inside a {@code CompletionException}); {@link LaunchFailure#OTHER} when none.
   */
  public static LaunchFailure failureOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof HostLaunchException h) {
        return h.failure();
      }
    }
    return LaunchFailure.OTHER;
  }
}
