package io.spotnest.hosts.ssh;

/**
 * The host presented a key that is not in known_hosts, or a different one: never retried
 * automatically.
 */
public final class SshHostKeyException extends SshConnectException {
  public SshHostKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
