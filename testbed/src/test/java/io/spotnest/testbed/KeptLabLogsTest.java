package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the end of a command run does with the lab logs it kept: like a test, only a failure's. */
class KeptLabLogsTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Two labs removed during the run, their logs kept and listed in the run's index. */
  private List<Path> keptByTheRun(Path index) throws Exception {
    TestbedHost h =
        HostsOnDisk.withDaemonLog(
            HostsOnDisk.host("hosta", 1, dir.resolve("lab9/host1")),
            "a daemon line\n".getBytes(StandardCharsets.UTF_8));
    LabLogs ci = new LabLogs(true, false, index);
    Path first = ci.keep(dir, 9, List.of(h)).orElseThrow();
    Path second = ci.keep(dir, 10, List.of(h)).orElseThrow();
    return List.of(first, second);
  }

  private String settle(Path index, boolean failed) {
    new KeptLabLogs(index).settle(failed, new PrintStream(err, true, StandardCharsets.UTF_8));
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void a_run_that_succeeded_removes_the_logs_it_kept_and_its_index() throws Exception {
    Path index = dir.resolve("index.txt");
    Path earlierRuns = Files.createDirectories(dir.resolve("kept-logs/lab3-1000"));
    List<Path> kept = keptByTheRun(index);

    String said = settle(index, false);

    for (Path k : kept) {
      assertFalse(Files.exists(k), k + " kept after a run that succeeded");
    }
    assertTrue(Files.isDirectory(earlierRuns), "another run's logs are not this run's to remove");
    assertFalse(Files.exists(index));
    assertEquals("", said);
  }

  @Test
  void a_run_that_failed_keeps_its_logs_and_names_where() throws Exception {
    Path index = dir.resolve("index.txt");
    List<Path> kept = keptByTheRun(index);

    String said = settle(index, true);

    for (Path k : kept) {
      assertTrue(Files.isRegularFile(k.resolve("hosta/libvirtd.log")), k.toString());
      assertTrue(said.contains("lab daemon logs kept in " + k), said);
    }
    assertFalse(Files.exists(index), "the index is this run's only");
  }

  @Test
  void a_run_that_kept_nothing_says_nothing() {
    Path index = dir.resolve("index.txt");
    assertEquals("", settle(index, true));
    assertFalse(Files.exists(index));
  }
}
