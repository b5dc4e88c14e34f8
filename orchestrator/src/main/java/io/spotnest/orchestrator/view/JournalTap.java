package io.spotnest.orchestrator.view;

import io.spotnest.orchestrator.journal.Journal;
import io.spotnest.orchestrator.journal.JournalRecord;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A journal that tells listeners every record: once, at construction, every record already durable
 * (the history of earlier runs), then each record as soon as it is durable. The records themselves
 * are written by the wrapped journal.
 */
public final class JournalTap implements Journal {
  private final Journal journal;
  private final List<Consumer<JournalRecord>> listeners;

  public JournalTap(Journal journal, List<Consumer<JournalRecord>> listeners) {
    this.journal = Objects.requireNonNull(journal, "journal");
    this.listeners = List.copyOf(listeners);
    for (JournalRecord r : journal.replay()) {
      tell(r);
    }
  }

  @Override
  public void append(JournalRecord record) {
    journal.append(record);
    tell(record);
  }

  @Override
  public List<JournalRecord> replay() {
    return journal.replay();
  }

  @Override
  public void close() {
    journal.close();
  }

  private void tell(JournalRecord r) {
    for (Consumer<JournalRecord> l : listeners) {
      l.accept(r);
    }
  }
}
