package io.spotnest.migration;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The link efficiency and set-up time each source-to-destination link showed, measured from the
 * engine's own finished pre-copy moves. Efficiency: the stream's own rate ({@link StreamRate},
 * bytes over libvirt's elapsed job time) against the bandwidth the move was planned with; set-up:
 * the move's total less the time its bytes took at that rate. Without a stream rate (too few
 * progress reports) the bytes over the time after the planner's set-up give the efficiency. The
 * next plan over that link uses the newest figures instead of the planner's starting constants.
 * Post-copy moves (their statistics stop at the switch), failures and moves of under 4 MiB or 1 s
 * teach nothing.
 */
final class LinkCalibration {

  private static final long MIN_BYTES = 4L << 20;
  private static final double MIN_SECONDS = 1.0;
  private static final double FLOOR = 0.05;

  private final Map<String, LinkFigures> byLink = new ConcurrentHashMap<>();

  /** The figures last measured from {@code source} to {@code destination}, if any. */
  Optional<LinkFigures> measured(String source, String destination) {
    return Optional.ofNullable(byLink.get(key(source, destination)));
  }

  /** The efficiency last measured from {@code source} to {@code destination}, if any. */
  Optional<Double> efficiency(String source, String destination) {
    return measured(source, destination).map(LinkFigures::efficiency);
  }

  /** {@code base} with the link's measured figures, or {@code base} itself when none are known. */
  MigrationPlanner planner(MigrationPlanner base, String source, String destination) {
    return measured(source, destination)
        .map(m -> base.calibrated(m.efficiency(), m.setup()))
        .orElse(base);
  }

  /**
   * Learns from a finished move planned by {@code planner}; {@code streamBytesPerSecond} is its
   * stream's own rate when it was measured.
   */
  void record(
      String source,
      String destination,
      MigrationOutcome out,
      MigrationPlanner planner,
      Optional<Double> streamBytesPerSecond) {
    if (!out.success() || out.postCopy()) {
      return;
    }
    long bytes = out.memoryBytes() + out.diskBytes();
    double total = out.total().toNanos() / 1e9;
    double offered = planner.offeredBandwidth(out.plan().inputs(), out.plan().settings());
    if (bytes < MIN_BYTES || total < MIN_SECONDS || offered <= 0) {
      return;
    }
    double rate;
    double setup;
    if (streamBytesPerSecond.isPresent() && streamBytesPerSecond.get() > 0) {
      rate = Math.min(streamBytesPerSecond.get(), offered);
      setup = Math.max(0, Math.min(total, total - bytes / rate));
    } else {
      setup = Math.min(total, planner.setupTime().toNanos() / 1e9);
      rate = total - setup < MIN_SECONDS ? offered : bytes / (total - setup);
    }
    double e = Math.max(FLOOR, Math.min(1.0, rate / offered));
    byLink.put(
        key(source, destination), new LinkFigures(e, Duration.ofNanos((long) (setup * 1e9))));
  }

  private static String key(String source, String destination) {
    return source + "\u0000" + destination;
  }
}
