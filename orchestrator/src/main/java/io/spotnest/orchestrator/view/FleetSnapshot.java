package io.spotnest.orchestrator.view;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the orchestrator knows at one instant, taken at once and immutable, so readers on
 * other threads (the dashboard, the Jenkins pages) see one consistent picture.
 *
 * @param pools every spot pool assessed or closed, by name: open, closed or draining, and why
 * @param moves every move since the journal began, oldest first, finished or in flight
 * @param lost every build lost with its agent, oldest first
 * @param notes what the numbers leave out (e.g. hosts without a known price), in a few words each
 */
public record FleetSnapshot(
    Instant at,
    List<HostSnapshot> hosts,
    List<AgentSnapshot> agents,
    List<PoolRiskSeries> risk,
    List<PoolStatus> pools,
    List<MoveRecord> moves,
    List<LostRecord> lost,
    CostSoFar cost,
    List<String> notes) {
  public FleetSnapshot {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(cost, "cost");
    hosts = List.copyOf(hosts);
    agents = List.copyOf(agents);
    risk = List.copyOf(risk);
    pools = List.copyOf(pools);
    moves = List.copyOf(moves);
    lost = List.copyOf(lost);
    notes = List.copyOf(notes);
  }

  /** Nothing yet (before the first publish). */
  public static FleetSnapshot empty(Instant at) {
    return new FleetSnapshot(
        at,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        CostSoFar.NONE,
        List.of());
  }
}
