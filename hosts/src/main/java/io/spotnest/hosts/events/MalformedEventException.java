package io.spotnest.hosts.events;

/** A message that is not a well-formed host event; it is dropped, never retried. */
public class MalformedEventException extends Exception {
  public MalformedEventException(String message) {
    super(message);
  }

  public MalformedEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
