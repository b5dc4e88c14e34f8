package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.journal.Journal;
import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.FleetState.Change;
import java.util.Objects;

/**
 * The one writer of the model: checks a record, makes it durable, then applies it before the
 * journal's listeners hear of it ({@link Journal#append(JournalRecord, Runnable)}). Act only after
 * it returns.
 */
public final class Recorder {
  private final Journal journal;
  private final FleetState state;

  public Recorder(Journal journal, FleetState state) {
    this.journal = Objects.requireNonNull(journal, "journal");
    this.state = Objects.requireNonNull(state, "state");
  }

  public void record(JournalRecord r) {
    Change c = state.plan(r);
    journal.append(r, c::commit);
  }

  public FleetState state() {
    return state;
  }
}
