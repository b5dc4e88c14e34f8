package io.spotnest.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process identified by pid and kernel start time, so a recycled pid is never mistaken for ours.
 */
public record ProcessRecord(long pid, long startTime) {

  /** Reads the start time of a live process. */
  public static Optional<ProcessRecord> of(long pid) {
    return startTimeOf(pid).map(st -> new ProcessRecord(pid, st));
  }

  public static ProcessRecord parse(String text) {
    String[] parts = text.trim().split(" ");
    if (parts.length != 2) {
      throw new TestbedException("process record must be '<pid> <starttime>', was '" + text + "'");
    }
    return new ProcessRecord(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
  }

  public String format() {
    return pid + " " + startTime;
  }

  /** True while the very same process (same pid and start time) is alive; a zombie is not. */
  public boolean alive() {
    return startTimeOf(pid).map(st -> st == startTime).orElse(false) && !zombie(pid);
  }

  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  static Optional<Long> startTimeOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // field 22 (starttime) counted after the parenthesised command name, which may contain spaces
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Long.parseLong(f[19]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
