package io.spotnest.jenkins.orchestrator;

/**
 * The fleet cannot be built from the configuration or on this controller: one line naming the field
 * (or what is missing), without a stack trace. An {@link IllegalStateException}, so the risk loop
 * reports it as "not running" and retries.
 */
public final class FleetConfigException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public FleetConfigException(String message) {
    super(message);
  }

  /** The message is the whole story. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
