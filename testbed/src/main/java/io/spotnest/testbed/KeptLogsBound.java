package io.spotnest.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How much of the kept lab logs ({@code <workRoot>/kept-logs/lab<index>-<epoch millis>}, one
 * directory a removed lab, see {@link LabLogs}) a machine holds: at most {@code maxRuns} runs and
 * {@code maxBytes} in all, the oldest removed first. The newest run always stays, however large.
 * Applied each time a lab keeps its logs, so the bound holds however the runs ended; nothing in
 * that directory but the runs' directories is touched.
 */
record KeptLogsBound(int maxRuns, long maxBytes) {

  /** 20 runs and 256 MiB: a CI lab keeps about 2 MiB per daemon (a few MiB a run). */
  static final KeptLogsBound DEFAULT = new KeptLogsBound(20, 256L << 20);

  private static final Pattern RUN = Pattern.compile("lab\\d+-(\\d+)");

  KeptLogsBound {
    if (maxRuns < 1 || maxBytes < 0) {
      throw new IllegalArgumentException(
          "kept logs bound needs at least one run and a size >= 0: " + maxRuns + ", " + maxBytes);
    }
  }

  /** Removes the oldest runs under {@code keptRoot} beyond the bound; returns what it removed. */
  List<Path> prune(Path keptRoot) {
    List<Run> newestFirst = runs(keptRoot);
    List<Path> removed = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < newestFirst.size(); i++) {
      Run r = newestFirst.get(i);
      total += r.bytes();
      boolean within = i < maxRuns && total <= maxBytes;
      if (i > 0 && !within) {
        // this run and every older one go, oldest first
        for (int k = newestFirst.size() - 1; k >= i; k--) {
          Path old = newestFirst.get(k).dir();
          if (delete(old)) {
            removed.add(old);
          }
        }
        break;
      }
    }
    return removed;
  }

  private record Run(long keptAtMillis, Path dir, long bytes) {}

  private static List<Run> runs(Path keptRoot) {
    if (!Files.isDirectory(keptRoot)) {
      return List.of();
    }
    List<Run> runs = new ArrayList<>();
    try (Stream<Path> entries = Files.list(keptRoot)) {
      for (Path p : entries.toList()) {
        Matcher m = RUN.matcher(p.getFileName().toString());
        if (m.matches() && Files.isDirectory(p)) {
          runs.add(new Run(Long.parseLong(m.group(1)), p, bytes(p)));
        }
      }
    } catch (IOException | UncheckedIOException | NumberFormatException e) {
      System.err.println("testbed: cannot list kept lab logs in " + keptRoot + ": " + e);
      return List.of();
    }
    runs.sort(Comparator.comparingLong(Run::keptAtMillis).reversed());
    return runs;
  }

  private static long bytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      long sum = 0;
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        sum += Files.size(f);
      }
      return sum;
    }
  }

  /** Removes {@code dir} and all below it; false (and a line on stderr) when it cannot. */
  static boolean delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
      return true;
    } catch (IOException | UncheckedIOException e) {
      System.err.println("testbed: cannot remove kept lab logs " + dir + ": " + e.getMessage());
      return false;
    }
  }
}
