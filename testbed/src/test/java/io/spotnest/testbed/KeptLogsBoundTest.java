package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kept lab logs cannot fill a machine over many runs: each keep prunes the oldest runs. */
class KeptLogsBoundTest {

  @TempDir Path dir;

  private Path keptRoot() {
    return dir.resolve("kept-logs");
  }

  /** A run kept earlier (at {@code millis}) whose logs take {@code bytes}. */
  private Path earlierRun(int lab, long millis, int bytes) throws Exception {
    Path run = keptRoot().resolve("lab" + lab + "-" + millis);
    Files.createDirectories(run.resolve("hosta"));
    Files.write(run.resolve("hosta/libvirtd.log"), new byte[bytes]);
    return run;
  }

  /** A lab host whose daemon wrote {@code bytes} of log. */
  private TestbedHost hostWithLog(int bytes) throws Exception {
    return HostsOnDisk.withDaemonLog(
        HostsOnDisk.host("hosta", 1, dir.resolve("lab9/host1")), new byte[bytes]);
  }

  private List<String> runsLeft() throws Exception {
    try (Stream<Path> runs = Files.list(keptRoot())) {
      return runs.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<String> sorted(String... names) {
    return Stream.of(names).sorted().toList();
  }

  @Test
  void keeping_a_labs_logs_leaves_only_the_newest_runs_and_nothing_but_runs_is_touched()
      throws Exception {
    for (int i = 1; i <= 5; i++) {
      earlierRun(i, i * 1000L, 10);
    }
    Files.createDirectories(keptRoot().resolve("notes"));
    Files.writeString(keptRoot().resolve("README"), "mine\n");
    LabLogs ci = new LabLogs(true, false, dir.resolve("index.txt"), new KeptLogsBound(3, 1L << 30));

    Path kept = ci.keep(dir, 9, List.of(hostWithLog(10))).orElseThrow();

    assertEquals(
        sorted("README", kept.getFileName().toString(), "lab4-4000", "lab5-5000", "notes"),
        runsLeft());
  }

  @Test
  void the_total_is_capped_by_removing_the_oldest_runs_first() throws Exception {
    earlierRun(1, 1000, 1000);
    earlierRun(2, 2000, 1000);
    earlierRun(3, 3000, 1000);
    LabLogs ci = new LabLogs(true, false, dir.resolve("index.txt"), new KeptLogsBound(100, 2500));

    Path kept = ci.keep(dir, 9, List.of(hostWithLog(1000))).orElseThrow();

    assertEquals(sorted(kept.getFileName().toString(), "lab3-3000"), runsLeft());
  }

  @Test
  void the_run_just_kept_stays_even_when_it_alone_is_over_the_cap() throws Exception {
    earlierRun(1, 1000, 10);
    LabLogs ci = new LabLogs(true, false, dir.resolve("index.txt"), new KeptLogsBound(5, 100));

    Path kept = ci.keep(dir, 9, List.of(hostWithLog(1000))).orElseThrow();

    assertEquals(List.of(kept.getFileName().toString()), runsLeft());
    assertEquals(1000, Files.size(kept.resolve("hosta/libvirtd.log")));
  }

  @Test
  void by_default_a_keep_leaves_at_most_the_default_number_of_runs() throws Exception {
    int before = KeptLogsBound.DEFAULT.maxRuns() + 5;
    for (int i = 1; i <= before; i++) {
      earlierRun(1, i * 1000L, 10);
    }
    LabLogs ci = new LabLogs(true, false, dir.resolve("index.txt"));

    Path kept = ci.keep(dir, 9, List.of(hostWithLog(10))).orElseThrow();

    List<String> left = runsLeft();
    assertEquals(KeptLogsBound.DEFAULT.maxRuns(), left.size(), left.toString());
    assertTrue(left.contains(kept.getFileName().toString()), left.toString());
    assertTrue(left.contains("lab1-" + before * 1000L), "the newest earlier run stays: " + left);
    assertTrue(!left.contains("lab1-1000"), "the oldest run goes: " + left);
  }
}
