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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
}
