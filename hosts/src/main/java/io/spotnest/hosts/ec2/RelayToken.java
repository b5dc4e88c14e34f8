package io.spotnest.hosts.ec2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Shared secret the host watcher presents to the controller. Never printed: {@link #toString()} is
 * masked.
 */
public final class RelayToken {
  private final byte[] secret;

  public RelayToken(String secret) {
    if (secret == null || secret.length() < 16) {
      throw new IllegalArgumentException("relayToken must be at least 16 characters");
    }
    if (!secret.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new IllegalArgumentException("relayToken must be printable ASCII without spaces");
    }
    this.secret = secret.getBytes(StandardCharsets.US_ASCII);
  }

  /** Constant-time comparison with a presented token. */
  public boolean matches(String presented) {
    return presented != null
        && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.US_ASCII));
  }

  /** The secret itself, for writing into the host's root-only watcher configuration. */
  String reveal() {
    return new String(secret, StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return "RelayToken(****)";
  }
}
