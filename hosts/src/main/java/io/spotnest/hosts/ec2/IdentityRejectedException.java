package io.spotnest.hosts.ec2;

/**
 * A presented instance identity was not accepted; the message says why (never contains a secret).
 */
public class IdentityRejectedException extends Exception {
  public IdentityRejectedException(String message) {
    super(message);
  }

  public IdentityRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
