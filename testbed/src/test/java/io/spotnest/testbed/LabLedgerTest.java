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
    assertEquals(List.of(new LabLedger.Entry(LabLedger.Kind.NETNS, "snl7"),
        new LabLedger.Entry(LabLedger.Kind.PID, "123 456")), l.entries());
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
  void process_record_detects_a_recycled_pid() {
    ProcessRecord self = ProcessRecord.of(ProcessHandle.current().pid()).orElseThrow();
    assertTrue(self.alive());
    assertEquals(false, new ProcessRecord(self.pid(), self.startTime() + 1).alive());
  }
}
