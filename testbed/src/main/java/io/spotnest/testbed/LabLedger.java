package io.spotnest.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Append-only record of everything a lab started, written (and flushed) before each resource is
 * created, so that the janitor can remove it even after the controller was killed with SIGKILL.
 */
public final class LabLedger {

  /** One recorded resource. */
  public record Entry(Kind kind, String value) {}

  /** What kind of resource an entry names. */
  public enum Kind {
    NETNS,
    LINK,
    PID,
    DIR
  }

  private final Path file;

  public LabLedger(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  public synchronized void record(Kind kind, String value) {
    if (value.contains("\n")) {
      throw new IllegalArgumentException("ledger value must be one line: " + value);
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          kind.name() + " " + value + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write lab ledger " + file, e);
    }
  }

  public List<Entry> entries() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<Entry> out = new ArrayList<>();
      int n = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        int sp = line.indexOf(' ');
        if (sp < 0) {
          throw new TestbedException(
              "lab ledger " + file + " line " + n + ": expected '<KIND> <value>'");
        }
        Kind kind;
        try {
          kind = Kind.valueOf(line.substring(0, sp));
        } catch (IllegalArgumentException e) {
          throw new TestbedException(
              "lab ledger " + file + " line " + n + ": unknown kind " + line.substring(0, sp));
        }
        out.add(new Entry(kind, line.substring(sp + 1)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read lab ledger " + file, e);
    }
  }

  public void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
