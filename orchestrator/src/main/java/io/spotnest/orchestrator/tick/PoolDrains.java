package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.journal.JournalRecord.HostPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.PoolClosed;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.ClosureKind;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.port.PoolDrain;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;

/**
 * Acts on the strategy's burst drains, before any move of the tick: one journaled {@link
 * PoolClosed} per burst closes the pool to our launches until the drain's quiet end and drains its
 * live spot hosts without a notice, their agents to leave by the drain's deadline (the forced lane
 * then moves them, earliest deadline first within the migration limits; see {@link Evacuations}). A
 * drain already under way is not renewed, so its deadline stays the first one given; a host of the
 * pool that becomes ready while it lasts drains too.
 */
public final class PoolDrains {
  private static final System.Logger LOG = System.getLogger(PoolDrains.class.getName());
  private final Recorder recorder;

  public PoolDrains(Recorder recorder) {
    this.recorder = recorder;
  }

  /** Journals (and so applies) each new drain; returns how many pools it drained. */
  public int act(List<PoolDrain> drains, Instant now) {
    int drained = 0;
    for (PoolDrain d : drains) {
      Instant until = d.quietUntil().isAfter(d.deadline()) ? d.quietUntil() : d.deadline();
      if (!until.isAfter(now) || recorder.state().poolDraining(d.pool(), now)) {
        continue;
      }
      recorder.record(
          new PoolClosed(d.pool(), until, d.reason(), d.deadline(), now, ClosureKind.BURST_DRAIN));
      LOG.log(
          Level.WARNING,
          "{0}: pool {1} drained (agents to leave by {2}), no launch there until {3}",
          d.reason(),
          d.pool(),
          d.deadline(),
          until);
      drained++;
    }
    for (ManagedHost h : List.copyOf(recorder.state().hosts())) {
      // a host launched before the drain and ready only now joins it before it takes any agent
      if (h.phase() == HostPhase.READY
          && h.market() == Market.SPOT
          && recorder.state().poolDraining(h.pool(), now)) {
        recorder.record(
            new HostPhaseChanged(h.id(), HostPhase.DRAINING, "burst drain of " + h.pool()));
      }
    }
    return drained;
  }
}
