package io.spotnest.orchestrator.view;

import io.spotnest.orchestrator.journal.Journal;
import io.spotnest.orchestrator.journal.JournalRecord;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A journal that tells listeners every record: once, at construction, every record already durable
 * (the history of earlier runs), then each record as soon as it is durable and the caller applied
 * it to its model ({@link Journal#append(JournalRecord, Runnable)}: the {@code Recorder}'s model
 * holds the record, as a restart's replay would, before any listener runs). The records themselves
 * are written by the wrapped journal. A listener that throws a RuntimeException is logged and the
 * others are still told. An {@link Error} is not caught (the process may be past saving): it
 * escapes from {@code append} at once, the listeners after it not told, but the model already has
 * the record.
 */
public final class JournalTap implements Journal {
  private static final System.Logger LOG = System.getLogger(JournalTap.class.getName());

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
    append(record, () -> {});
  }

  @Override
  public void append(JournalRecord record, Runnable apply) {
    journal.append(record, apply);
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
      try {
        l.accept(r);
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "journal listener " + l + " failed on " + r + "; the record is durable all the same",
            e);
      }
    }
  }
}
