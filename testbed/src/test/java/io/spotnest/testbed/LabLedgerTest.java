package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabLedgerTest {

  @TempDir Path dir;

  @Test
  void entries_round_trip_in_order() {
    LabLedger l = new LabLedger(dir.resolve("7.ledger"));
    l.record(LabLedger.Kind.NETNS, "snl7");
    l.record(LabLedger.Kind.PID, "123 456");
    assertEquals(
        List.of(
            new LabLedger.Entry(LabLedger.Kind.NETNS, "snl7"),
            new LabLedger.Entry(LabLedger.Kind.PID, "123 456")),
        l.entries());
  }

  @Test
  void a_corrupt_line_is_reported_with_its_number() throws Exception {
    Path f = dir.resolve("1.ledger");
    Files.writeString(f, "NETNS snl1\nBOGUS x\n");
    TestbedException e = assertThrows(TestbedException.class, () -> new LabLedger(f).entries());
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void a_lock_is_exclusive_until_released() {
    try (LabLock a = LabLock.tryAcquire(dir, 5)) {
      assertEquals(null, LabLock.tryAcquire(dir, 5));
    }
    try (LabLock b = LabLock.tryAcquire(dir, 5)) {
      assertEquals(5, b.index());
    }
  }

  @Test
  void a_second_look_at_a_held_lock_from_the_same_jvm_does_not_release_it_for_other_processes()
      throws Exception {
    try (LabLock held = LabLock.tryAcquire(dir, 6)) {
      // what the janitor and Testbed.start do for every index: look at a lock this JVM already
      // holds
      assertEquals(null, LabLock.tryAcquire(dir, 6));
      assertEquals(
          "HELD",
          tryLockInAnotherProcess(dir, 6),
          "a POSIX lock dies when its owner closes ANY descriptor of the file; another process must still see it held");
    }
    assertEquals("ACQUIRED", tryLockInAnotherProcess(dir, 6));
  }

  /** Runs {@link TryLock} in a fresh JVM and returns what it printed. */
  static String tryLockInAnotherProcess(Path stateRoot, int index) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                TryLock.class.getName(),
                stateRoot.toString(),
                Integer.toString(index))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "child JVM did not exit");
    return out;
  }

  /** Tries to take a lab lock and says whether it could. */
  public static final class TryLock {
    public static void main(String[] args) {
      try (LabLock l = LabLock.tryAcquire(Path.of(args[0]), Integer.parseInt(args[1]))) {
        System.out.println(l == null ? "HELD" : "ACQUIRED");
      }
    }
  }

  @Test
  void process_record_detects_a_recycled_pid() {
    ProcessRecord self = ProcessRecord.of(ProcessHandle.current().pid()).orElseThrow();
    assertTrue(self.alive());
    assertEquals(false, new ProcessRecord(self.pid(), self.startTime() + 1).alive());
  }
}
