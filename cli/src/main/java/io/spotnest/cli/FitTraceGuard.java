package io.spotnest.cli;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.TraceNames;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Refuses a {@code --fit-trace} trace that could hold what {@code simulate} scores (with {@code
 * --fit-trace}, the whole run): one with the same samples as a simulated trace (the same file, or a
 * copy at any path and under any name), and one of a simulated trace's pool (instance type and
 * zone; zone names tell the clouds apart) unless it surely ended before that trace began. A trace's
 * time is known only from its directory ({@link TraceNames#startDay}: the day it started in, not
 * the hour), so it surely ended by the end of that day plus its length; without a dated directory
 * its time is unknown and a trace of a simulated pool is refused.
 */
final class FitTraceGuard {

  /** A trace as read from {@code path}. */
  record TraceFile(Path path, CapacityTrace trace) {}

  /**
   * Throws, naming the option, when {@code fit} could hold the scored part of {@code simulated}.
   */
  void check(TraceFile fit, List<TraceFile> simulated) {
    for (TraceFile s : simulated) {
      refusal(fit, s)
          .ifPresent(
              why -> {
                throw new IllegalArgumentException(
                    "--fit-trace: " + fit.path() + " " + why + "; fit on other traces only");
              });
    }
  }

  private static Optional<String> refusal(TraceFile fit, TraceFile simulated) {
    CapacityTrace f = fit.trace();
    CapacityTrace s = simulated.trace();
    if (fit.path()
        .toAbsolutePath()
        .normalize()
        .equals(simulated.path().toAbsolutePath().normalize())) {
      return Optional.of("is also simulated");
    }
    if (f.gapSeconds() == s.gapSeconds() && Arrays.equals(f.counts(), s.counts())) {
      return Optional.of(
          "holds the same samples as the simulated " + simulated.path() + " (a copy)");
    }
    if (!f.pool().equals(s.pool())) {
      return Optional.empty();
    }
    String same = "is of pool " + f.pool() + " like the simulated " + simulated.path();
    Optional<Instant> endedBy =
        TraceNames.startDay(fit.path()).map(d -> startOf(d.plusDays(1)).plus(f.length()));
    Optional<Instant> scoredFrom = TraceNames.startDay(simulated.path()).map(d -> startOf(d));
    if (endedBy.isEmpty() || scoredFrom.isEmpty()) {
      return Optional.of(
          same
              + ", and when "
              + (endedBy.isEmpty() ? "it" : "that")
              + " was recorded is unknown (no start day such as gcp-04-30-2023 in its "
              + "directory's name), so it may cover the scored run");
    }
    if (endedBy.get().isAfter(scoredFrom.get())) {
      return Optional.of(
          same
              + " and may have ended after that one's scored part began (it ended by "
              + endedBy.get()
              + ", its start day and length say; the scored part begins "
              + scoredFrom.get()
              + " at the earliest)");
    }
    return Optional.empty();
  }

  private static Instant startOf(LocalDate day) {
    return day.atStartOfDay().toInstant(ZoneOffset.UTC);
  }
}
