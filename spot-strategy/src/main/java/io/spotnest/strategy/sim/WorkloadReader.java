package io.spotnest.strategy.sim;

import io.spotnest.strategy.data.DataFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a workload CSV with the header {@code arrival_min,duration_min,ram_gib}; {@code #} starts a
 * comment.
 */
public final class WorkloadReader {
  static final String[] HEADER = {"arrival_min", "duration_min", "ram_gib"};

  public Workload read(Path file) {
    try {
      return parse(file.toString(), Files.readAllLines(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read workload " + file + ": " + e.getMessage(), e);
    }
  }

  public Workload parse(String source, List<String> lines) {
    List<Build> builds = new ArrayList<>();
    boolean headerSeen = false;
    for (int i = 0; i < lines.size(); i++) {
      int line = i + 1;
      String row = lines.get(i).strip();
      if (row.isEmpty() || row.startsWith("#")) {
        continue;
      }
      String[] f = row.split(",", -1);
      if (!headerSeen) {
        if (f.length != HEADER.length
            || !f[0].strip().equals(HEADER[0])
            || !f[1].strip().equals(HEADER[1])
            || !f[2].strip().equals(HEADER[2])) {
          throw new DataFormatException(
              source, line, "header", "expected 'arrival_min,duration_min,ram_gib'");
        }
        headerSeen = true;
        continue;
      }
      if (f.length != HEADER.length) {
        throw new DataFormatException(
            source,
            line,
            f.length < HEADER.length ? HEADER[f.length] : "(extra column)",
            "expected 3 comma-separated columns, got " + f.length);
      }
      double arrival = number(source, line, 0, f[0], 0);
      double duration = number(source, line, 1, f[1], Double.MIN_VALUE);
      double ram = number(source, line, 2, f[2], Double.MIN_VALUE);
      builds.add(new Build(builds.size(), arrival, duration, ram));
    }
    if (!headerSeen) {
      throw new DataFormatException(
          source, 1, "header", "empty workload; expected 'arrival_min,duration_min,ram_gib'");
    }
    if (builds.isEmpty()) {
      throw new DataFormatException(
          source, lines.size(), "arrival_min", "the workload has no builds");
    }
    return new Workload("workload file " + source, builds);
  }

  private static double number(String source, int line, int col, String text, double min) {
    double v;
    try {
      v = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw new DataFormatException(
          source, line, HEADER[col], "not a number: '" + text.strip() + "'");
    }
    if (!(v >= min) || Double.isInfinite(v)) {
      throw new DataFormatException(
          source,
          line,
          HEADER[col],
          (min > 0 ? "must be positive" : "must be >= 0") + ", got " + text.strip());
    }
    return v;
  }
}
