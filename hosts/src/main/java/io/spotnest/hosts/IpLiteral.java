package io.spotnest.hosts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IPv4 and IPv6 address literals, parsed without ever resolving a name (a VXLAN flood entry needs
 * an address, never a DNS name).
 */
public final class IpLiteral {
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /** Numeric order: IPv4 before IPv6, then by the address bytes. */
  public static final Comparator<String> NUMERIC =
      Comparator.comparing(
          (String s) -> parse(s).orElseThrow().getAddress(),
          (a, b) ->
              a.length != b.length
                  ? Integer.compare(a.length, b.length)
                  : Arrays.compareUnsigned(a, b));

  private IpLiteral() {}

  /** The address {@code text} spells, or empty when it is not an IP literal. */
  public static Optional<InetAddress> parse(String text) {
    if (text == null || !(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text)); // a literal: no lookup
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether {@code text} is spelled as a dotted-quad IPv4 address, the only form the hosts' overlay
   * scripts take (an IPv4-mapped IPv6 literal such as {@code ::ffff:10.0.0.1} is not).
   */
  public static boolean isIpv4(String text) {
    return text != null && IPV4.matcher(text).matches();
  }

  /** Whether {@code text} is an IPv4 or IPv6 address literal. */
  public static boolean is(String text) {
    return parse(text).isPresent();
  }
}
