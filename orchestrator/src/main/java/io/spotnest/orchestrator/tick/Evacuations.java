package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.port.Assessment;
import io.spotnest.orchestrator.port.Evacuation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Splits the work into two lanes (R3). Forced: every movable agent on a host with a notice (by the
 * notice's deadline) or on a host of a drained pool (by the drain's journaled deadline), plus the
 * strategy's forced evacuations (which, for the same agent, replace the default with their
 * destination, keeping the earlier deadline), earliest deadline first. Voluntary: the strategy's
 * other evacuations.
 */
public final class Evacuations {

  /** The two lanes of one tick. */
  public record Lanes(List<Evacuation> forced, List<Evacuation> voluntary) {}

  private Evacuations() {}

  public static Lanes plan(FleetState s, Assessment a) {
    Map<String, Evacuation> forced = new LinkedHashMap<>();
    for (ManagedHost h : s.hosts()) {
      if (!h.live()) {
        continue;
      }
      Optional<Instant> drainBy = s.drainDeadline(h.id());
      Instant deadline = h.noticeDeadline() != null ? h.noticeDeadline() : drainBy.orElse(null);
      if (deadline == null) {
        continue;
      }
      String reason =
          h.noticeDeadline() != null ? "interruption notice" : "burst drain of " + h.pool();
      for (String id : s.agentsOn(h.id())) {
        if (movable(s, id, h.id())) {
          forced.put(id, new Evacuation(id, h.id(), deadline, true, reason));
        }
      }
    }
    List<Evacuation> voluntary = new ArrayList<>();
    for (Evacuation e : a.evacuations()) {
      if (!movable(s, e.agentId(), e.hostId())) {
        continue;
      }
      if (e.forced()) {
        // the strategy's own answer to a notice or burst names the destination; the journaled
        // deadline, when earlier, stays (a burst's is absolute, the strategy's slides with now)
        Evacuation known = forced.get(e.agentId());
        forced.put(
            e.agentId(),
            known == null || !known.deadline().isBefore(e.deadline())
                ? e
                : new Evacuation(
                    e.agentId(), e.hostId(), known.deadline(), true, e.reason(), e.to()));
      } else if (!forced.containsKey(e.agentId())) {
        voluntary.add(e);
      }
    }
    List<Evacuation> edf = new ArrayList<>(forced.values());
    edf.sort(Comparator.comparing(Evacuation::deadline));
    return new Lanes(edf, voluntary);
  }

  /** Online or busy on that host, and not already moving. */
  private static boolean movable(FleetState s, String agentId, String hostId) {
    Agent a = s.findAgent(agentId).orElse(null);
    return a != null
        && hostId.equals(a.hostId())
        && (a.phase() == AgentPhase.ONLINE || a.phase() == AgentPhase.BUSY);
  }
}
