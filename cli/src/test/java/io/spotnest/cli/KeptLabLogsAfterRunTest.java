package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.testbed.KeptLabLogs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code spotnest} run under {@code CI=true} keeps the lab logs of the labs it removed only when
 * it fails, as a lab test does; one that succeeds leaves none of them behind.
 */
class KeptLabLogsAfterRunTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** A lab's logs kept during the run and listed in the run's index. */
  private Path keptDuringTheRun(Path index) throws Exception {
    Path kept = Files.createDirectories(dir.resolve("kept-logs/lab9-1000/hosta"));
    Files.writeString(kept.resolve("libvirtd.log"), "a daemon line\n");
    Files.writeString(index, "1000\t" + kept.getParent() + "\n");
    return kept.getParent();
  }

  private int run(Path index, String... args) {
    return SpotNestCommand.run(
        SpotNestCommand.commandLine(new ForbiddenLabs()),
        args,
        new KeptLabLogs(index),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void a_run_that_succeeds_removes_the_lab_logs_it_kept() throws Exception {
    Path index = dir.resolve("index.txt");
    Path kept = keptDuringTheRun(index);

    assertEquals(0, run(index, "help", "bench"));

    assertFalse(Files.exists(kept), "kept after a run that succeeded");
    assertFalse(Files.exists(index));
  }

  @Test
  void a_run_that_fails_keeps_the_lab_logs_it_kept_and_names_where() throws Exception {
    Path index = dir.resolve("index.txt");
    Path kept = keptDuringTheRun(index);

    // the lab cannot start here (ForbiddenLabs): the command fails
    assertNotEquals(0, run(index, "testbed", "up"));

    assertTrue(Files.isRegularFile(kept.resolve("hosta/libvirtd.log")));
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("lab daemon logs kept in " + kept), said);
    assertFalse(Files.exists(index));
  }
}
