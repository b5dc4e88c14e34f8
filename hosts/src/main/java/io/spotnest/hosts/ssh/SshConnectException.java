package io.spotnest.hosts.ssh;

/** An SSH connection to a static host was refused or failed; the message names the host. */
public class SshConnectException extends RuntimeException {
  public SshConnectException(String message, Throwable cause) {
    super(message, cause);
  }
}
