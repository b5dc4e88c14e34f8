package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.journal.JournalRecord.CopyDropped;
import io.spotnest.orchestrator.model.StandingCopy;
import io.spotnest.orchestrator.port.AgentMover;
import java.lang.System.Logger.Level;

/** Ends a standing copy: journals the drop (its reservation is freed), then asks the mover. */
public final class CopyDrop {
  private static final System.Logger LOG = System.getLogger(CopyDrop.class.getName());
  private final Recorder recorder;
  private final AgentMover mover;

  public CopyDrop(Recorder recorder, AgentMover mover) {
    this.recorder = recorder;
    this.mover = mover;
  }

  public void drop(StandingCopy c, String reason) {
    recorder.record(new CopyDropped(c.copyId(), reason));
    try {
      mover.stopCopy(c.order());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot stop standing copy " + c.copyId() + ": " + e.getMessage());
    }
  }
}
