package io.spotnest.jenkins.orchestrator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The agents Jenkins removed while the fleet could not start, whose VMs the orchestrator ends once
 * it starts: one name a line in a file beside the journal, so a controller restart keeps them. Read
 * once, then kept in memory and written through (replaced whole) on every change.
 */
final class PendingAgentEnds {
  private final Path file;
  private Set<String> names;

  PendingAgentEnds(Path file) {
    this.file = file;
  }

  /** The agents whose end waits, oldest first. */
  synchronized List<String> names() {
    return List.copyOf(loaded());
  }

  /** Keeps the agent's end; throws {@link UncheckedIOException} when the file cannot be written. */
  synchronized void add(String agentName) {
    Set<String> next = new LinkedHashSet<>(loaded());
    if (next.add(agentName)) {
      write(next);
    }
  }

  /** Forgets an agent whose VM was ended. */
  synchronized void remove(String agentName) {
    Set<String> next = new LinkedHashSet<>(loaded());
    if (next.remove(agentName)) {
      write(next);
    }
  }

  private Set<String> loaded() {
    if (names == null) {
      Set<String> read = new LinkedHashSet<>();
      try {
        if (Files.exists(file)) {
          for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
              read.add(line.strip());
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      names = read;
    }
    return names;
  }

  private void write(Set<String> next) {
    try {
      Files.createDirectories(file.getParent());
      Path part = file.resolveSibling(file.getFileName() + ".part");
      Files.write(part, next, StandardCharsets.UTF_8);
      Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    names = next;
  }
}
