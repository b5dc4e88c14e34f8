package io.spotnest.migration;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One STEP line of the test guest's stand-in build. */
record GuestStep(
    long n, String bootId, double uptime, long wsWritten, long wsVerified, long wsBad) {

  private static final Pattern STEP =
      Pattern.compile(
          "STEP (\\d+) boot_id=(\\S+) up=([0-9.]+) ws_written=(\\d+) ws_verified=(\\d+) ws_bad=(\\d+)");

  static Optional<GuestStep> parse(String line) {
    Matcher m = STEP.matcher(line);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(
        new GuestStep(
            Long.parseLong(m.group(1)),
            m.group(2),
            Double.parseDouble(m.group(3)),
            Long.parseLong(m.group(4)),
            Long.parseLong(m.group(5)),
            Long.parseLong(m.group(6))));
  }
}
