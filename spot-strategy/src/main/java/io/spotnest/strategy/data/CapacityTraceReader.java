package io.spotnest.strategy.data;

import io.spotnest.strategy.signal.PoolId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads SkyPilot spot traces: {@code {"metadata": {"gap_seconds": N}, "data": [int, ...]}}. */
public final class CapacityTraceReader {

  /** Reads a trace whose pool is named by the file ({@code <zone>_<type>.json}). */
  public CapacityTrace read(Path file) {
    PoolId pool =
        TraceNames.poolOf(file)
            .orElseThrow(
                () ->
                    new DataFormatException(
                        file.toString(),
                        0,
                        "file name",
                        "cannot tell the pool from the name; expected <zone>_<type>.json or give --instance-type and --zone"));
    return read(file, pool);
  }

  /** Reads a trace for the given pool. */
  public CapacityTrace read(Path file, PoolId pool) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace " + file + ": " + e.getMessage(), e);
    }
    return parse(file.toString(), text, pool, TraceNames.startOf(file));
  }

  /** Parses trace text; {@code source} names it in errors. */
  public CapacityTrace parse(String source, String text, PoolId pool, java.time.Instant start) {
    Object root = Json.parse(source, text);
    if (!(root instanceof Map<?, ?> map)) {
      throw new DataFormatException(source, 1, "$", "expected a JSON object");
    }
    if (!(map.get("metadata") instanceof Map<?, ?> meta)) {
      throw new DataFormatException(source, 1, "metadata", "missing or not an object");
    }
    if (!(meta.get("gap_seconds") instanceof Long gap) || gap <= 0 || gap > 86_400) {
      throw new DataFormatException(
          source,
          1,
          "metadata.gap_seconds",
          "must be an integer number of seconds in 1..86400, got " + meta.get("gap_seconds"));
    }
    if (!(map.get("data") instanceof List<?> data)) {
      throw new DataFormatException(source, 1, "data", "missing or not an array");
    }
    if (data.size() < 2) {
      throw new DataFormatException(
          source, 1, "data", "needs at least 2 ticks, got " + data.size());
    }
    int[] counts = new int[data.size()];
    for (int i = 0; i < counts.length; i++) {
      Object v = data.get(i);
      if (!(v instanceof Long n) || n < 0 || n > 1_000_000) {
        throw new DataFormatException(
            source,
            lineOfIndex(text, i),
            "data[" + i + "]",
            "must be a non-negative integer instance count, got " + v);
      }
      counts[i] = n.intValue();
    }
    String name = source.replaceAll(".*/", "").replaceAll("\\.json$", "");
    return new CapacityTrace(name, pool, start, gap.intValue(), counts);
  }

  /**
   * The 1-based line on which element {@code index} of the data array sits (approximate for odd
   * layouts).
   */
  private static int lineOfIndex(String text, int index) {
    int dataAt = text.indexOf("\"data\"");
    int open = text.indexOf('[', Math.max(0, dataAt));
    int commas = 0;
    int line = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
      }
      if (i > open && c == ',' && ++commas > index) {
        return line;
      }
    }
    return line;
  }
}
