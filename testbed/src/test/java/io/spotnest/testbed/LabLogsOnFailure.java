package io.spotnest.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Shows a failed lab test its labs' daemon logs. Under {@code CI=true} a lab keeps the end of its
 * hosts' logs when it is removed and lists them in this JVM's index ({@code LabLogs}); when a test
 * or a class fails, this listener names the kept directories of the labs removed while it ran and
 * prints the last {@value #TAIL_LINES} lines of each daemon's log, into the test's output and into
 * {@code <spotnest.root>/target/stall-reports/} (which the test command prints after a failure).
 * What no failure needed is deleted when the test plan ends. Registered like {@link StallWatchdog};
 * uses no testbed main class (the dashboard's tests take this jar without them).
 */
public final class LabLogsOnFailure implements TestExecutionListener {

  static final int TAIL_LINES = 40;

  private final Path index;
  private final Path reports;
  private final Map<String, Long> started = new ConcurrentHashMap<>();
  private final Set<String> failedBelow = ConcurrentHashMap.newKeySet();

  /** Kept labs shown by a failure or belonging to a passing test. */
  private final Set<Path> settled = ConcurrentHashMap.newKeySet();

  private final Set<Path> shown = ConcurrentHashMap.newKeySet();
  private volatile TestPlan plan;

  public LabLogsOnFailure() {
    this(
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "spotnest-kept-logs-" + ProcessHandle.current().pid() + ".txt"),
        Path.of(System.getProperty("spotnest.root", "."), "target", "stall-reports"));
  }

  LabLogsOnFailure(Path index, Path reports) {
    this.index = index;
    this.reports = reports;
  }

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    plan = testPlan;
  }

  @Override
  public void executionStarted(TestIdentifier id) {
    started.put(id.getUniqueId(), System.currentTimeMillis());
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    boolean failed =
        result.getStatus() == TestExecutionResult.Status.FAILED
            || failedBelow.contains(id.getUniqueId());
    if (!failed) {
      if (id.isTest()) {
        Long since = started.get(id.getUniqueId());
        if (since != null) {
          passed(since); // its own lab (one per test) is no failure's
        }
      }
      return;
    }
    markParents(id);
    Long since = started.get(id.getUniqueId());
    if (since != null) {
      String report = report(id.getDisplayName() + " [" + id.getUniqueId() + "]", since);
      if (!report.isEmpty()) {
        System.out.print(report);
        write(report);
      }
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    for (Kept k : kept()) {
      if (!shown.contains(k.dir())) {
        delete(k.dir());
      }
    }
    try {
      Files.deleteIfExists(index);
    } catch (IOException e) {
      // another run's tmp clean-up got there first
    }
  }

  private void markParents(TestIdentifier id) {
    TestPlan p = plan;
    if (p == null) {
      return;
    }
    for (var parent = p.getParent(id); parent.isPresent(); parent = p.getParent(parent.get())) {
      failedBelow.add(parent.get().getUniqueId());
    }
  }

  /**
   * What a failure sees of the labs removed since {@code sinceMillis} and not shown yet: where
   * their logs are and the end of each daemon's log; empty when there are none.
   */
  String report(String what, long sinceMillis) {
    StringBuilder r = new StringBuilder();
    for (Kept k : kept()) {
      if (k.keptAtMillis() < sinceMillis || !settled.add(k.dir())) {
        continue;
      }
      shown.add(k.dir());
      r.append("=== lab daemon logs for the failed ")
          .append(what)
          .append(": kept in ")
          .append(k.dir())
          .append('\n');
      for (Path log : daemonLogs(k.dir())) {
        r.append(">> ")
            .append(log)
            .append(" (last ")
            .append(TAIL_LINES)
            .append(" lines)\n")
            .append(tail(log, TAIL_LINES))
            .append('\n');
      }
    }
    return r.toString();
  }

  /**
   * Marks the labs removed since {@code sinceMillis} as a passing test's: a failure of its class
   * later does not show them.
   */
  void passed(long sinceMillis) {
    for (Kept k : kept()) {
      if (k.keptAtMillis() >= sinceMillis) {
        settled.add(k.dir());
      }
    }
  }

  private record Kept(long keptAtMillis, Path dir) {}

  private List<Kept> kept() {
    if (!Files.isRegularFile(index)) {
      return List.of();
    }
    List<Kept> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
        String[] f = line.split("\t", 2);
        if (f.length == 2) {
          try {
            out.add(new Kept(Long.parseLong(f[0]), Path.of(f[1])));
          } catch (NumberFormatException e) {
            // a line cut short by a killed JVM
          }
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return out;
  }

  /** Each host's {@code libvirtd.log} (and its stderr file) under a kept directory. */
  private static List<Path> daemonLogs(Path dir) {
    try (Stream<Path> files = Files.walk(dir, 2)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().startsWith("libvirtd."))
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private void write(String report) {
    try {
      Files.createDirectories(reports);
      Files.writeString(
          reports.resolve("lab-logs-" + ProcessHandle.current().pid() + ".txt"),
          report,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("cannot write the lab log report to " + reports + ": " + e.getMessage());
    }
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("cannot remove kept lab logs " + dir + ": " + e.getMessage());
    }
  }
}
