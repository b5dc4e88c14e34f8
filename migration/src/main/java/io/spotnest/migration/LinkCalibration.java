package io.spotnest.migration;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The link efficiency each source-to-destination link achieved, measured from the engine's own
 * finished pre-copy moves: bytes sent (memory and disk) over the time after the planner's set-up,
 * against the bandwidth the move was planned with. The next plan over that link uses the newest
 * figure instead of the planner's starting constant. Post-copy moves (their statistics stop at the
 * switch), failures and moves of under 4 MiB or 1 s teach nothing.
 */
final class LinkCalibration {

  private static final long MIN_BYTES = 4L << 20;
  private static final double MIN_SECONDS = 1.0;
  private static final double FLOOR = 0.05;

  private final Map<String, Double> byLink = new ConcurrentHashMap<>();

  /** The efficiency last measured from {@code source} to {@code destination}, if any. */
  Optional<Double> efficiency(String source, String destination) {
    return Optional.ofNullable(byLink.get(key(source, destination)));
  }

  /** {@code base} with the link's measured efficiency, or {@code base} itself when none is known. */
  MigrationPlanner planner(MigrationPlanner base, String source, String destination) {
    return efficiency(source, destination).map(base::withLinkEfficiency).orElse(base);
  }

  /** Learns from a finished move planned by {@code planner}. */
  void record(String source, String destination, MigrationOutcome out, MigrationPlanner planner) {
    if (!out.success() || out.postCopy()) {
      return;
    }
    long bytes = out.memoryBytes() + out.diskBytes();
    double seconds = (out.total().toNanos() - planner.setupTime().toNanos()) / 1e9;
    double offered = planner.offeredBandwidth(out.plan().inputs(), out.plan().settings());
    if (bytes < MIN_BYTES || seconds < MIN_SECONDS || offered <= 0) {
      return;
    }
    double e = Math.max(FLOOR, Math.min(1.0, bytes / seconds / offered));
    byLink.put(key(source, destination), e);
  }

  private static String key(String source, String destination) {
    return source + "\u0000" + destination;
  }
}
