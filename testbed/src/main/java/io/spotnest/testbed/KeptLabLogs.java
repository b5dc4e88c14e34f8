package io.spotnest.testbed;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The lab logs a process kept (under {@code CI=true}, listed in its index by {@link LabLogs}) and
 * what the end of a {@code spotnest} command does with them, as a test run does: a run that failed
 * keeps them and names where, one that succeeded removes them. Either way the index goes.
 */
public final class KeptLabLogs {

  private final Path index;

  /** Over the index at {@code index}. */
  public KeptLabLogs(Path index) {
    this.index = index;
  }

  /** Over this process's index. */
  public static KeptLabLogs ofThisProcess() {
    return new KeptLabLogs(LabLogs.indexFile());
  }

  /** Keeps and names ({@code failed}) or removes the logs this run kept. */
  public void settle(boolean failed, PrintStream err) {
    for (Path dir : listed()) {
      if (failed) {
        err.println("lab daemon logs kept in " + dir);
      } else if (Files.exists(dir)) {
        KeptLogsBound.delete(dir);
      }
    }
    try {
      Files.deleteIfExists(index);
    } catch (IOException e) {
      err.println("cannot remove " + index + ": " + e.getMessage());
    }
  }

  /** The directories in the index ({@code <epoch millis>\t<directory>} lines); none without one. */
  private List<Path> listed() {
    if (!Files.isRegularFile(index)) {
      return List.of();
    }
    try {
      return Files.readAllLines(index, StandardCharsets.UTF_8).stream()
          .map(line -> line.split("\t", 2))
          .filter(f -> f.length == 2 && !f[1].isBlank())
          .map(f -> Path.of(f[1]))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
