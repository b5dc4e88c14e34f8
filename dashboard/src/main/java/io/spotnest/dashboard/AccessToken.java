package io.spotnest.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** The per-run secret that opens the dashboard; made fresh at every start, held only in memory. */
final class AccessToken {
  private final String value;

  private AccessToken(String value) {
    this.value = value;
  }

  static AccessToken random() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return new AccessToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  /** Whether {@code candidate} is this token, compared in constant time. */
  boolean matches(String candidate) {
    return candidate != null
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.US_ASCII),
            candidate.getBytes(StandardCharsets.US_ASCII));
  }

  String value() {
    return value;
  }

  @Override
  public String toString() {
    return "AccessToken[***]";
  }
}
