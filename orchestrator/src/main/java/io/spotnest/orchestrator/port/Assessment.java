package io.spotnest.orchestrator.port;

import io.spotnest.orchestrator.model.PoolKey;
import java.util.List;
import java.util.Map;

/**
 * The strategy's answer: the risk of each pool (probability of a reclamation within 15 min), the
 * agents to move (evacuations, moves back to spot and consolidation, with destinations where the
 * strategy named one), the warm spares to launch ahead of notices, the spot pools where a host is
 * to be launched for moves back, the spare hosts no longer needed (released: terminated when empty,
 * untouched by any move, and not needed for the configured warm pool), the pools to drain because a
 * burst of reclamations is under way, and the agents its standing-copy plan wants a standing copy
 * for (issue 12).
 */
public record Assessment(
    Map<PoolKey, Double> poolRisk,
    List<Evacuation> evacuations,
    List<SpareLaunch> spares,
    List<PoolKey> spotLaunches,
    List<String> releases,
    List<PoolDrain> drains,
    List<String> standingCopies) {
  public Assessment {
    standingCopies = List.copyOf(standingCopies);
    poolRisk = Map.copyOf(poolRisk);
    evacuations = List.copyOf(evacuations);
    spares = List.copyOf(spares);
    spotLaunches = List.copyOf(spotLaunches);
    releases = List.copyOf(releases);
    drains = List.copyOf(drains);
  }

  public Assessment(
      Map<PoolKey, Double> poolRisk,
      List<Evacuation> evacuations,
      List<SpareLaunch> spares,
      List<PoolKey> spotLaunches,
      List<String> releases) {
    this(poolRisk, evacuations, spares, spotLaunches, releases, List.of(), List.of());
  }

  public Assessment(
      Map<PoolKey, Double> poolRisk,
      List<Evacuation> evacuations,
      List<SpareLaunch> spares,
      List<PoolKey> spotLaunches) {
    this(poolRisk, evacuations, spares, spotLaunches, List.of());
  }

  public Assessment(
      Map<PoolKey, Double> poolRisk, List<Evacuation> evacuations, List<SpareLaunch> spares) {
    this(poolRisk, evacuations, spares, List.of());
  }

  public Assessment(Map<PoolKey, Double> poolRisk, List<Evacuation> evacuations) {
    this(poolRisk, evacuations, List.of());
  }

  public static Assessment none() {
    return new Assessment(Map.of(), List.of());
  }
}
