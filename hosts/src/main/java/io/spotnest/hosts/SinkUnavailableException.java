package io.spotnest.hosts;

/**
 * A transient sink failure (journal busy, store unreachable): the event should be delivered again
 * later.
 */
public class SinkUnavailableException extends RuntimeException {
  public SinkUnavailableException(String message) {
    super(message);
  }

  public SinkUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
