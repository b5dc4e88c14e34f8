package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.journal.JournalRecord.HostPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.NoticeRecorded;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.HostFleet;
import io.spotnest.orchestrator.signal.SignalBook;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Turns host events into journaled effects and signals; acknowledges each event only after its
 * effect is durable. Notices come first, earliest deadline first. A notice marks its host draining
 * (that host only); a rebalance recommendation marks its host at risk (no evacuation); a host gone
 * that we did not terminate is a reclamation. The same reclamation from two sources counts once.
 * Unknown hosts, hosts already gone, duplicates and stale events are logged and ignored; one bad
 * event never stops the others.
 */
public final class EventTriage {
  private static final System.Logger LOG = System.getLogger(EventTriage.class.getName());
  private static final int REMEMBERED_IDS = 100_000;
  private static final Comparator<FleetEvent> URGENCY =
      Comparator.comparingInt(EventTriage::rank)
          .thenComparing(e -> e instanceof FleetEvent.Notice n ? n.deadline() : e.at());

  private final Recorder recorder;
  private final HostFleet fleet;
  private final SignalBook signals;
  private final HostLoss loss;
  private final LinkedHashSet<String> seen = new LinkedHashSet<>();

  public EventTriage(Recorder recorder, HostFleet fleet, SignalBook signals, HostLoss loss) {
    this.recorder = recorder;
    this.fleet = fleet;
    this.signals = signals;
    this.loss = loss;
  }

  /** Handles a batch; returns why each ignored event was ignored. */
  public List<String> handle(List<FleetEvent> events) {
    List<String> ignored = new ArrayList<>();
    List<FleetEvent> ordered = new ArrayList<>(events);
    ordered.sort(URGENCY);
    for (FleetEvent e : ordered) {
      Optional<String> why;
      try {
        why = handle(e);
      } catch (RuntimeException ex) {
        LOG.log(
            Level.WARNING,
            "event " + e.eventId() + " from " + e.source() + " failed; left unacknowledged",
            ex);
        continue;
      }
      why.ifPresent(
          w -> {
            String line =
                e.getClass().getSimpleName()
                    + " "
                    + e.eventId()
                    + " from "
                    + e.source()
                    + " for host "
                    + e.hostId()
                    + ": "
                    + w;
            LOG.log(Level.INFO, "ignored " + line);
            ignored.add(line);
          });
      remember(e.eventId());
      fleet.acknowledge(e);
    }
    return ignored;
  }

  private Optional<String> handle(FleetEvent e) {
    if (seen.contains(e.eventId())) {
      return Optional.of("duplicate event id");
    }
    Optional<ManagedHost> found = recorder.state().findHost(e.hostId());
    if (found.isEmpty()) {
      return Optional.of("unknown host");
    }
    ManagedHost h = found.get();
    if (!h.live()) {
      return Optional.of("host already gone");
    }
    if (e instanceof FleetEvent.Notice n) {
      return notice(h, n);
    }
    if (e instanceof FleetEvent.Rebalance r) {
      return rebalance(h, r);
    }
    return gone(h, (FleetEvent.Gone) e);
  }

  private Optional<String> notice(ManagedHost h, FleetEvent.Notice n) {
    if (h.noticeDeadline() != null) {
      return Optional.of(
          "notice already recorded for this host (deadline " + h.noticeDeadline() + ")");
    }
    if (h.terminatedByUs()) {
      return Optional.of("we are terminating this host ourselves");
    }
    recorder.record(new NoticeRecorded(h.id(), n.deadline()));
    signals.reclaimed(h.pool(), h.id(), n.at());
    return Optional.empty();
  }

  private Optional<String> rebalance(ManagedHost h, FleetEvent.Rebalance r) {
    signals.rebalance(h.pool(), h.id(), r.at());
    if (h.phase() == HostPhase.READY) {
      recorder.record(new HostPhaseChanged(h.id(), HostPhase.AT_RISK, "rebalance recommendation"));
      return Optional.empty();
    }
    return Optional.of("host already " + h.phase());
  }

  private Optional<String> gone(ManagedHost h, FleetEvent.Gone g) {
    if (h.terminatedByUs()) {
      recorder.record(new HostPhaseChanged(h.id(), HostPhase.GONE, "terminated by us"));
      return Optional.empty();
    }
    signals.reclaimed(h.pool(), h.id(), g.at());
    loss.lost(h, g.reason() + " (" + g.source() + ")", g.at());
    return Optional.empty();
  }

  private void remember(String eventId) {
    seen.add(eventId);
    if (seen.size() > REMEMBERED_IDS) {
      Iterator<String> oldest = seen.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  private static int rank(FleetEvent e) {
    if (e instanceof FleetEvent.Notice) {
      return 0;
    }
    return e instanceof FleetEvent.Gone ? 1 : 2;
  }
}
