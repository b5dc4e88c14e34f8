package io.spotnest.hosts;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A host pool: one instance type (the host size) in one zone.
 *
 * @param instanceType the provider's machine type, e.g. {@code c8i.2xlarge}
 * @param zone the availability zone, e.g. {@code eu-west-1a}
 */
public record Pool(String instanceType, String zone) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.\\-]*");

  public Pool {
    requireName("instanceType", instanceType);
    requireName("zone", zone);
  }

  /** Parses {@code type@zone}, naming {@code field} in the error when malformed. */
  public static Pool parse(String field, String text) {
    Objects.requireNonNull(text, field);
    int at = text.indexOf('@');
    if (at <= 0 || at == text.length() - 1) {
      throw new IllegalArgumentException(
          field + ": expected <instanceType>@<zone>, got '" + text + "'");
    }
    try {
      return new Pool(text.substring(0, at).trim(), text.substring(at + 1).trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  private static void requireName(String field, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field + " must be lower-case letters, digits, '.' or '-', got '" + value + "'");
    }
  }

  @Override
  public String toString() {
    return instanceType + "@" + zone;
  }
}
