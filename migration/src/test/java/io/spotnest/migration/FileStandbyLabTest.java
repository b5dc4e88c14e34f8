package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.testbed.LinkShape;
import io.spotnest.testbed.TestbedHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A standing copy whose standby memory the backup holds in a file ({@link StandbyMemory#FILE}): the
 * backup's QEMU maps a file under that host's {@code memory_backing_dir} while the copy stands, a
 * notice flushes it and the VM runs on the backup with its build's counter continuous, and nothing
 * is left on the source or in the directory once the VM is removed.
 */
@Tag("lab")
class FileStandbyLabTest {

  static final int LINK_MBIT = 200;
  static final Duration NOTICE = Duration.ofSeconds(30);

  @RegisterExtension
  static final LabFixture lab = new LabFixture(1024, new LinkShape(LINK_MBIT, 0));

  @Test
  void a_file_backed_standby_is_a_file_under_the_backups_dir_and_a_notice_flushes_it()
      throws Exception {
    TestbedHost backup = lab.testbed.host(2);
    Path ramDir = backup.memoryBackingDir();
    assertNotEquals(
        "tmpfs", Files.getFileStore(ramDir).type(), "standby memory on disk, not tmpfs");
    AgentVmSpec vm = lab.startGuest("agent-filestandby", 128, 8, 16, null, true);
    TestbedHost source = lab.testbed.host(1);
    int conn = lab.connectionOf(vm.name());
    lab.awaitStep(conn, 3);
    MigrationEngine engine = lab.engine();
    StandingCopyHandle copy =
        engine.keepStandingCopy(
            new StandingCopyRequest(
                    vm.name(),
                    "hosta",
                    "hostb",
                    LINK_MBIT * 1_000_000L / 8,
                    MigrationSettings.defaults().withAutoConverge(false))
                .withStandbyMemory(StandbyMemory.FILE),
            MigrationListener.NONE);
    long until = System.nanoTime() + 150_000_000_000L;
    while (copy.lastProgress().map(p -> p.iteration() < 3).orElse(true)
        && !copy.outcome().isDone()
        && System.nanoTime() < until) {
      Thread.sleep(200);
    }
    assertEquals(
        StandingCopyHandle.State.STANDING,
        copy.state(),
        () ->
            "the stream stands after its first passes: "
                + copy.lastProgress()
                + "; "
                + copy.outcome().getNow(null));

    List<String> sourceMaps = mappedUnder(source, vm.name(), source.memoryBackingDir());
    List<String> standbyMaps = mappedUnder(backup, vm.name(), ramDir);
    List<Path> standbyFiles = filesUnder(ramDir);
    System.out.printf(
        Locale.ROOT,
        "[file-standby] standing: source QEMU maps %s; backup QEMU maps %s; files in %s: %s%n",
        sourceMaps,
        standbyMaps,
        ramDir,
        standbyFiles);
    assertFalse(standbyMaps.isEmpty(), "the backup's QEMU maps a file under " + ramDir);
    assertFalse(standbyFiles.isEmpty(), "the standby's memory file is in " + ramDir);
    assertTrue(
        standbyMaps.stream().allMatch(l -> l.split("\\s+")[1].contains("s")),
        "the standby's file is mapped shared: " + standbyMaps);
    assertFalse(sourceMaps.isEmpty(), "the source's RAM is a file too");
    assertTrue(
        sourceMaps.stream().allMatch(l -> l.split("\\s+")[1].contains("p")),
        "the source's file is mapped private (it behaves as RAM): " + sourceMaps);

    GuestStep before = lab.awaitStepAfter(conn, System.nanoTime(), 0);
    long flushStart = System.nanoTime();
    MigrationOutcome out =
        copy.flush(Instant.now().plus(NOTICE)).get(NOTICE.toSeconds() + 90, TimeUnit.SECONDS);
    double flushSeconds = (System.nanoTime() - flushStart) / 1e9;
    long movedAt = System.nanoTime();
    System.out.printf(
        Locale.ROOT, "[file-standby] flush %.1f s: %s%n", flushSeconds, out.toString().strip());

    assertTrue(out.success(), out.toString());
    assertEquals(Optional.of("hostb"), out.runningOn());
    try (Hypervisor a = engine.connect("hosta");
        Hypervisor b = engine.connect("hostb")) {
      assertEquals(VmState.RUNNING, b.state(vm.name()));
      assertEquals(VmState.ABSENT, a.state(vm.name()));
    }
    GuestStep after = lab.awaitStepAfter(conn, movedAt, before.n() + 3);
    assertEquals(before.bootId(), after.bootId(), "same boot id: no reboot");
    List<GuestStep> steps = lab.steps(conn);
    for (int i = 1; i < steps.size(); i++) {
      assertEquals(
          steps.get(i - 1).n() + 1, steps.get(i).n(), "step counter continuous at " + steps.get(i));
    }
    assertFalse(
        mappedUnder(backup, vm.name(), ramDir).isEmpty(),
        "the VM runs on the backup from its memory file");
    lab.assertNothingOf(1, vm.name());
    assertEquals(List.of(), filesUnder(source.memoryBackingDir()), "nothing left on the source");

    try (Hypervisor b = engine.connect("hostb")) {
      b.remove(vm.name());
    }
    lab.assertNothingOf(2, vm.name());
    assertEquals(List.of(), filesUnder(ramDir), "the memory file went with the VM");
  }

  /** The lines of the VM's QEMU on {@code host} that map a file under {@code dir}. */
  static List<String> mappedUnder(TestbedHost host, String vm, Path dir) throws IOException {
    List<Long> pids = lab.testbed.processesOf(host, "guest=" + vm + ",");
    assertEquals(1, pids.size(), "one QEMU of " + vm + " on " + host.name() + ": " + pids);
    return Files.readAllLines(Path.of("/proc", pids.get(0).toString(), "maps")).stream()
        .filter(l -> l.contains(dir.toString() + "/"))
        .map(String::strip)
        .toList();
  }

  /** The regular files anywhere under {@code dir}. */
  static List<Path> filesUnder(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).toList();
    }
  }
}
