package io.spotnest.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Makes a hung test visible and bounded. Registered for every module that has the testbed's test
 * jar on its test class path (service file in {@code META-INF/services}). A test running longer
 * than {@code spotnest.test.dumpAfter} (default 4 min, below JUnit's own method timeout set in the
 * root pom) gets a report: every thread's stack, the lab processes and the tail of every lab log.
 * When no test starts or ends for {@code spotnest.test.haltAfter} (default 12 min), something below
 * JUnit hangs (a lab fixture, a native call no timeout reaches): it writes a last report and exits
 * the test JVM (running the labs' cleanup hooks, halting if they hang), so the build fails instead
 * of hanging. Reports go to {@code <spotnest.root>/target/stall-reports/} because surefire
 * redirects test output to files; the test command prints them at the end.
 */
public final class StallWatchdog implements TestExecutionListener {

  private final Map<String, Instant> running = new ConcurrentHashMap<>();
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final Duration dumpAfter =
      Duration.parse("PT" + System.getProperty("spotnest.test.dumpAfter", "4M"));
  private final Duration haltAfter =
      Duration.parse("PT" + System.getProperty("spotnest.test.haltAfter", "12M"));
  private volatile Instant lastEvent = Instant.now();
  private ScheduledExecutorService timer;

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    // not DaemonThreads: dashboard's tests take this test jar without testbed's main classes
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "spotnest-stall-watchdog");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::check, 5, 5, TimeUnit.SECONDS);
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    timer.shutdownNow();
  }

  @Override
  public void executionStarted(TestIdentifier id) {
    lastEvent = Instant.now();
    if (id.isTest()) {
      running.put(id.getUniqueId(), Instant.now());
    }
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    lastEvent = Instant.now();
    running.remove(id.getUniqueId());
  }

  private void check() {
    Instant now = Instant.now();
    running.forEach(
        (id, since) -> {
          if (Duration.between(since, now).compareTo(dumpAfter) > 0 && reported.add(id)) {
            report("test running for " + Duration.between(since, now).toSeconds() + " s: " + id);
          }
        });
    if (Duration.between(lastEvent, now).compareTo(haltAfter) > 0) {
      Path file =
          report(
              "no test started or ended for "
                  + Duration.between(lastEvent, now).toSeconds()
                  + " s; halting the test JVM. Running: "
                  + running.keySet());
      System.err.println("spotnest: test JVM stalled, see " + file);
      exit();
    }
  }

  /**
   * Exits so that the labs' shutdown hooks remove what they started; halts if a hook itself hangs.
   */
  private static void exit() {
    Thread exiting = new Thread(() -> System.exit(86), "spotnest-stall-exit");
    exiting.setDaemon(true);
    exiting.start();
    try {
      exiting.join(Duration.ofMinutes(2).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().halt(86);
  }

  private Path report(String why) {
    StringBuilder r =
        new StringBuilder("=== SpotNest stall report " + Instant.now() + "\n" + why + "\n\n");
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
      r.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState()).append('\n');
      for (StackTraceElement e : t.getStackTrace()) {
        r.append("    at ").append(e).append('\n');
      }
    }
    r.append("\n--- lab processes\n")
        .append(
            new Shell(Duration.ofSeconds(10))
                .exec(
                    List.of(
                        "sh",
                        "-c",
                        "ps -eo pid,ppid,etimes,stat,args | grep -E 'qemu-system|libvirtd|sshd' | grep -v grep"))
                .stdout());
    r.append("\n--- lab logs (last 40 lines each)\n");
    for (Path log : labLogs()) {
      r.append(">> ").append(log).append('\n').append(tail(log, 40)).append('\n');
    }
    Path dir = Path.of(System.getProperty("spotnest.root", "."), "target", "stall-reports");
    Path file = dir.resolve("stall-" + ProcessHandle.current().pid() + ".txt");
    try {
      Files.createDirectories(dir);
      Files.writeString(
          file, r, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static List<Path> labLogs() {
    try (Stream<Path> roots = Files.list(Path.of("/var/tmp"))) {
      return roots
          .filter(p -> p.getFileName().toString().startsWith("spotnest"))
          .flatMap(StallWatchdog::logsUnder)
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Stream<Path> logsUnder(Path root) {
    try (Stream<Path> files = Files.walk(root, 5)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().contains("/log/") && !p.toString().contains("/kept-logs/"))
          .toList()
          .stream();
    } catch (IOException | UncheckedIOException e) {
      return Stream.empty();
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
