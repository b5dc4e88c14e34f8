package io.spotnest.testbed;

/** A testbed operation failed; the message says which and why. */
public final class TestbedException extends RuntimeException {
  public TestbedException(String message) {
    super(message);
  }

  public TestbedException(String message, Throwable cause) {
    super(message, cause);
  }
}
