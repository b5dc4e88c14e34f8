package io.spotnest.jenkins;

import io.spotnest.orchestrator.journal.InMemoryJournal;
import io.spotnest.orchestrator.journal.Journal;
import io.spotnest.orchestrator.journal.JournalIoException;
import io.spotnest.orchestrator.journal.JournalRecord;
import java.io.IOException;
import java.util.List;

/**
 * A journal (the orchestrator's port) in memory whose appends fail, as {@code FileJournal}'s do,
 * while its disk is full.
 */
final class DiskFullJournal implements Journal {
  static final String FILE = "/var/lib/jenkins/spotnest/journal.jsonl";

  private final InMemoryJournal records = new InMemoryJournal();
  private volatile String failure;

  /** Appends fail from now on with this cause (null: they work again). */
  void fail(String cause) {
    failure = cause;
  }

  @Override
  public void append(JournalRecord record) {
    String cause = failure;
    if (cause != null) {
      throw new JournalIoException("cannot append to journal " + FILE, new IOException(cause));
    }
    records.append(record);
  }

  @Override
  public List<JournalRecord> replay() {
    return records.replay();
  }
}
