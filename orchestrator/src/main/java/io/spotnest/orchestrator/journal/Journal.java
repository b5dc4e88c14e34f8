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

  /** Every durable record, oldest first. */
  List<JournalRecord> replay();

  @Override
  default void close() {}
}
