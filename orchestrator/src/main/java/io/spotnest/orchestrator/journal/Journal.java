package io.spotnest.orchestrator.journal;

import java.util.List;

/**
 * The orchestrator's durable, append-only log of transitions. {@link #append} returns only once the
 * record is durable (synced to disk, or committed in a database), so the caller may act on it. One
 * writer per cluster.
 */
public interface Journal extends AutoCloseable {

  /** Makes {@code record} durable, after every record appended before it. */
  void append(JournalRecord record);

  /**
   * Makes {@code record} durable as {@link #append(JournalRecord)} does, then runs {@code apply}
   * (the caller's change to its model) before anything else learns of the record: a journal that
   * tells listeners ({@code JournalTap}) tells them only after it, so nothing a listener throws can
   * keep a durable record out of the model. {@code apply} is not run when the append fails.
   */
  default void append(JournalRecord record, Runnable apply) {
    append(record);
    apply.run();
  }

  /** Every durable record, oldest first. */
  List<JournalRecord> replay();

  @Override
  default void close() {}
}
