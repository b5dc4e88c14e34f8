package io.spotnest.orchestrator.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.journal.JournalRecord.HostLaunchRequested;
import io.spotnest.orchestrator.journal.JournalRecord.MoveFinished;
import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.ClosureKind;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<JournalRecord> RECORDS =
      List.of(
          new AgentRequested("a1", 2048, Duration.ofMinutes(90), null),
          new HostLaunchRequested(
              "k1", new PoolKey("c8i.2xlarge", "use1-az4"), Market.SPOT, 16384, T),
          new AgentPhaseChanged("a1", AgentPhase.BOOTING, T, "booting"),
          new MoveStarted("m1", "a1", "h1", "h2", T.plusSeconds(120), true),
          new MoveFinished("m1", "h2", "ok"),
          new JournalRecord.PoolClosed(
              new PoolKey("c8i.2xlarge", "use1-az4"), T.plusSeconds(600), "launch failed"),
          new JournalRecord.PoolClosed(
              new PoolKey("c8i.2xlarge", "use1-az4"),
              T.plusSeconds(900),
              "burst drain",
              T.plusSeconds(240)),
          new JournalRecord.PoolClosed(
              new PoolKey("c8i.2xlarge", "use1-az5"),
              T.plusSeconds(900),
              "burst drain: notice for h-9",
              T.plusSeconds(240),
              T,
              ClosureKind.BURST_DRAIN),
          new JournalRecord.PoolClosed(
              new PoolKey("c8i.2xlarge", "use1-az4"),
              T.plusSeconds(600),
              "spot launch failed: InsufficientInstanceCapacity",
              null,
              T,
              ClosureKind.NO_CAPACITY),
          new JournalRecord.PoolClosed(
              new PoolKey("c8i.2xlarge", "use1-az6"),
              T.plusSeconds(21600),
              "spot launch failed: Unsupported",
              null,
              T,
              ClosureKind.UNSUPPORTED),
          new JournalRecord.PoolClosed(
              new PoolKey("c8i.2xlarge", "use1-az5"),
              T.plusSeconds(600),
              "spot launch failed: MaxSpotInstanceCountExceeded",
              null,
              T,
              ClosureKind.QUOTA));

  @TempDir Path dir;

  private final Logger log = Logger.getLogger(FileJournal.class.getName());
  private final List<String> warnings = new ArrayList<>();
  private final Handler warned =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(r.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void listen() {
    log.addHandler(warned);
  }

  @AfterEach
  void stopListening() {
    log.removeHandler(warned);
  }

  /**
   * The journal's file, which fills up on demand: a write then stores half of what it is given and
   * the next one fails, as a full disk does part-way through a line; cutting the file back may fail
   * too.
   */
  private static final class Disk implements JournalChannel {
    private final JournalChannel file;
    boolean full;
    boolean truncateFails;
    private boolean halfWritten;

    Disk(JournalChannel file) {
      this.file = file;
    }

    @Override
    public long size() throws IOException {
      return file.size();
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      if (!full) {
        return file.write(src, position);
      }
      if (halfWritten) {
        throw new IOException("No space left on device");
      }
      halfWritten = true;
      ByteBuffer half = src.slice(src.position(), src.remaining() / 2);
      int n = file.write(half, position);
      src.position(src.position() + n);
      return n;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      file.force(metaData);
    }

    @Override
    public void truncate(long size) throws IOException {
      if (truncateFails) {
        throw new IOException("Input/output error");
      }
      file.truncate(size);
    }

    @Override
    public void close() throws IOException {
      file.close();
    }

    void recovers() {
      full = false;
      truncateFails = false;
      halfWritten = false;
    }
  }

  @Test
  void everyRecordSurvivesAReopen() {
    Path file = dir.resolve("journal.jsonl");
    try (FileJournal j = FileJournal.open(file)) {
      RECORDS.forEach(j::append);
    }
    try (FileJournal j = FileJournal.open(file)) {
      assertEquals(RECORDS, j.replay());
    }
  }

  @Test
  void aClosureKeepsItsTimeAndKindAndAnOlderClosureWithoutThemStillReads() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    PoolKey pool = new PoolKey("c8i.2xlarge", "use1-az4");
    JournalRecord.PoolClosed timed =
        new JournalRecord.PoolClosed(
            pool, T.plusSeconds(600), "launch failed", null, T, ClosureKind.LAUNCH_FAILED);
    try (FileJournal j = FileJournal.open(file)) {
      j.append(timed);
    }
    assertTrue(
        Files.readString(file).contains("\"kind\":\"LAUNCH_FAILED\""),
        "the kind is journaled: " + Files.readString(file));
    Files.writeString( // closures as an older controller journaled them: no time, no kind
        file,
        "{\"type\":\"pool-closed\",\"pool\":{\"instanceType\":\"c8i.2xlarge\","
            + "\"zoneId\":\"use1-az4\"},\"until\":\"2026-01-01T00:15:00Z\","
            + "\"reason\":\"older\"}\n"
            + "{\"type\":\"pool-closed\",\"pool\":{\"instanceType\":\"c8i.2xlarge\","
            + "\"zoneId\":\"use1-az4\"},\"until\":\"2026-01-01T00:20:00Z\","
            + "\"reason\":\"older drain\",\"drainBy\":\"2026-01-01T00:05:00Z\"}\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    try (FileJournal j = FileJournal.open(file)) {
      List<JournalRecord> replayed = j.replay();
      assertEquals(
          List.of(
              timed,
              new JournalRecord.PoolClosed(
                  pool, T.plusSeconds(900), "older", null, null, ClosureKind.LAUNCH_FAILED),
              new JournalRecord.PoolClosed(
                  pool,
                  T.plusSeconds(1200),
                  "older drain",
                  T.plusSeconds(300),
                  null,
                  ClosureKind.BURST_DRAIN)),
          replayed,
          "an older closure reads as the kind its shape tells: a drain deadline only on a burst");
    }
  }

  @Test
  void aLossKeepsItsTimeAndAnOlderLossWithoutItStillReads() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    JournalRecord.AgentLost timed =
        new JournalRecord.AgentLost("a-1", "h-1", "host h-1 vanished (gone)", "agent-2", T);
    try (FileJournal j = FileJournal.open(file)) {
      j.append(timed);
    }
    Files.writeString( // a loss as an older controller journaled it: no time
        file,
        "{\"type\":\"agent-lost\",\"agentId\":\"a-3\",\"hostId\":\"h-3\","
            + "\"reason\":\"older\",\"requeuedAs\":\"agent-4\"}\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    try (FileJournal j = FileJournal.open(file)) {
      assertEquals(
          List.of(timed, new JournalRecord.AgentLost("a-3", "h-3", "older", "agent-4", null)),
          j.replay());
    }
  }

  @Test
  void aTornLastWriteIsDroppedAndTheJournalStaysAppendable() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    try (FileJournal j = FileJournal.open(file)) {
      RECORDS.subList(0, 2).forEach(j::append);
    }
    Files.writeString(
        file,
        "{\"type\":\"agent-phase\",\"agentId\":\"a1\",\"pha",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    try (FileJournal j = FileJournal.open(file)) {
      assertEquals(1, warnings.size(), "the torn line is cut with a warning: " + warnings);
      assertEquals(RECORDS.subList(0, 2), j.replay());
      j.append(RECORDS.get(2));
    }
    try (FileJournal j = FileJournal.open(file)) {
      assertEquals(RECORDS.subList(0, 3), j.replay());
    }
  }

  @Test
  void aBadRecordInTheMiddleIsRefusedNotSkipped() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    Files.writeString(
        file,
        "{\"type\":\"agent-requested\",\"agentId\":\"a1\",\"ramMiB\":1,\"expectedBuild\":\"PT1H\"}\n"
            + "not json\n"
            + "{\"type\":\"agent-requested\",\"agentId\":\"a2\",\"ramMiB\":1,\"expectedBuild\":\"PT1H\"}\n");
    JournalCorruptException e =
        assertThrows(JournalCorruptException.class, () -> FileJournal.open(file).replay());
    assertEquals(true, e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void aFailedAppendLeavesNoPartialLineSoTheNextAppendAndARestartRead() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    List<Disk> disks = new ArrayList<>();
    long before;
    try (FileJournal j = FileJournal.open(file, ch -> add(disks, new Disk(ch)))) {
      RECORDS.subList(0, 2).forEach(j::append);
      before = Files.size(file);
      disks.get(0).full = true;

      assertThrows(JournalIoException.class, () -> j.append(RECORDS.get(2)));

      disks.get(0).recovers();
      j.append(RECORDS.get(3));
    }
    try (FileJournal j = FileJournal.open(file)) {
      assertEquals(
          List.of(RECORDS.get(0), RECORDS.get(1), RECORDS.get(3)),
          j.replay(),
          "a restart reads every record that was appended, none of the failed one");
    }
    assertEquals(
        before + FileJournal.mapper().writeValueAsString(RECORDS.get(3)).length() + 1,
        Files.size(file),
        "the failed append's half line was cut off");
  }

  @Test
  void anAppendThatCannotBeCutBackRefusesTheNextAppendsAndARestartDropsItsTornLine()
      throws Exception {
    Path file = dir.resolve("journal.jsonl");
    List<Disk> disks = new ArrayList<>();
    try (FileJournal j = FileJournal.open(file, ch -> add(disks, new Disk(ch)))) {
      RECORDS.subList(0, 2).forEach(j::append);
      long before = Files.size(file);
      disks.get(0).full = true;
      disks.get(0).truncateFails = true;
      assertThrows(JournalIoException.class, () -> j.append(RECORDS.get(2)));
      long torn = Files.size(file);
      assertTrue(torn > before, "half a line stays: it could not be cut off");
      disks.get(0).recovers();

      JournalIoException refused =
          assertThrows(JournalIoException.class, () -> j.append(RECORDS.get(3)));

      assertTrue(refused.getMessage().contains("refuses"), refused.getMessage());
      assertEquals(torn, Files.size(file), "nothing is written after the torn line");
      assertEquals(RECORDS.subList(0, 2), j.replay(), "the torn last line is dropped, not fatal");
    }
    try (FileJournal j = FileJournal.open(file)) {
      assertEquals(RECORDS.subList(0, 2), j.replay());
      j.append(RECORDS.get(3));
    }
    try (FileJournal j = FileJournal.open(file)) {
      assertEquals(List.of(RECORDS.get(0), RECORDS.get(1), RECORDS.get(3)), j.replay());
    }
  }

  @Test
  void replayDropsATornLastLineWithAWarningButABadLineBeforeItStaysFatal() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    try (FileJournal j = FileJournal.open(file)) {
      RECORDS.subList(0, 2).forEach(j::append);
      Files.writeString( // a write cut mid-line, as a crash leaves it
          file,
          "{\"type\":\"agent-phase\",\"agentId\":\"a1\",\"pha",
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);

      assertEquals(RECORDS.subList(0, 2), j.replay());
      assertEquals(1, warnings.size(), "the torn line is dropped with a warning: " + warnings);
      assertTrue(warnings.get(0).contains("torn"), warnings.get(0));
    }
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(
        bad,
        "{\"type\":\"agent-requested\",\"agentId\":\"a1\",\"ramMiB\":1,\"expectedBuild\":\"PT1H\"}\n"
            + "not json\n");
    try (FileJournal j = FileJournal.open(bad)) {
      Files.writeString(bad, "{\"type\":\"agent-requ", StandardOpenOption.APPEND);
      JournalCorruptException e = assertThrows(JournalCorruptException.class, j::replay);
      assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
  }

  private static <T> T add(List<T> to, T t) {
    to.add(t);
    return t;
  }
}
