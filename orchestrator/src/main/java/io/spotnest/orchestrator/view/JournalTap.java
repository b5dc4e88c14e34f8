package io.spotnest.orchestrator.view;

import io.spotnest.orchestrator.journal.Journal;
import io.spotnest.orchestrator.journal.JournalRecord;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A journal that tells listeners every record: once, at construction, every record already durable
 * (the history of earlier runs), then each record as soon as it is durable. The records themselves
 * are written by the wrapped journal. A listener that throws is logged and the others are still
 * told: once a record is durable, {@link #append} returns, so the caller (the {@code Recorder})
 * applies it to the model as a restart's replay would.
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
