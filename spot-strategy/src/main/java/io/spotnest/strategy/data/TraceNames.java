package io.spotnest.strategy.data;

import io.spotnest.strategy.signal.PoolId;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the pool out of a SkyPilot trace file name {@code <zone>_<type>.json}: GPU names such as
 * {@code v100_1} mean p3.2xlarge, {@code intel_64} means r5.16xlarge; other type names are taken as
 * instance types.
 */
public final class TraceNames {
  private static final Map<String, String> TYPES =
      Map.of(
          "intel_64", "r5.16xlarge",
          "v100_1", "p3.2xlarge",
          "v100_4", "p3.8xlarge",
          "v100_8", "p3.16xlarge",
          "k80_1", "p2.xlarge",
          "k80_8", "p2.8xlarge",
          "c3-88", "c3-highcpu-88");

  /** Sizes of non-AWS types used by the shared traces (the Spot Advisor feed only knows AWS). */
  private static final Map<String, Double> OTHER_RAM_GIB = Map.of("c3-highcpu-88", 176.0);

  private static final Pattern FILE =
      Pattern.compile("([a-z]+-[a-z]+\\d+-?[a-z]?|[a-z]+-[a-z]+-\\d+[a-z])_(.+)\\.json");
  private static final Pattern DATE_DIR = Pattern.compile(".*-(\\d{2})-(\\d{2})-(\\d{4})$");

  private TraceNames() {}

  /** The pool named by the file, if its name has the {@code <zone>_<type>.json} shape. */
  public static Optional<PoolId> poolOf(Path file) {
    Matcher m = FILE.matcher(file.getFileName().toString());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new PoolId(instanceType(m.group(2)), m.group(1)));
  }

  /** The instance type meant by a trace's type name. */
  public static String instanceType(String traceType) {
    return TYPES.getOrDefault(traceType, traceType);
  }

  /** RAM of a non-AWS instance type the shared traces use, if known. */
  public static Optional<Double> otherRamGiB(String instanceType) {
    return Optional.ofNullable(OTHER_RAM_GIB.get(instanceType));
  }

  /**
   * The trace's start date from a parent directory such as {@code aws-04-19-2023}, else the epoch.
   */
  public static Instant startOf(Path file) {
    return startDay(file)
        .map(d -> d.atStartOfDay().toInstant(ZoneOffset.UTC))
        .orElse(Instant.EPOCH);
  }

  /**
   * The UTC day the trace started in, as its parent directory names it ({@code <cloud>-MM-DD-YYYY},
   * SkyPilot's layout), if it does: the day only, not the time of day.
   */
  public static Optional<LocalDate> startDay(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && parent.getFileName() != null) {
      Matcher m = DATE_DIR.matcher(parent.getFileName().toString());
      if (m.matches()) {
        return Optional.of(
            LocalDate.of(
                Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2))));
      }
    }
    return Optional.empty();
  }
}
