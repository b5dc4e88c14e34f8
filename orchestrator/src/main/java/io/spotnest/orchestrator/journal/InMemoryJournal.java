package io.spotnest.orchestrator.journal;

import java.util.ArrayList;
import java.util.List;

/** A journal that lives only in memory: for tests and benchmarks, never for a real controller. */
public final class InMemoryJournal implements Journal {
  private final List<JournalRecord> records = new ArrayList<>();

  public InMemoryJournal() {}

  /** A journal that already holds {@code records} (e.g. a prefix, to replay a crash). */
  public InMemoryJournal(List<JournalRecord> records) {
    this.records.addAll(records);
  }

  @Override
  public synchronized void append(JournalRecord record) {
    records.add(record);
  }

  @Override
  public synchronized List<JournalRecord> replay() {
    return List.copyOf(records);
  }
}
