package io.spotnest.orchestrator.placement;

/**
 * The orchestrator's caps.
 *
 * @param maxHosts hosts launching or live at once
 * @param maxAgents agents not yet gone at once
 * @param maxMovesPerHost concurrent migrations touching one host (as source or destination)
 * @param maxMovesPerLink concurrent migrations between one pair of hosts
 * @param maxSpotRisk a spot pool whose 15-minute reclamation probability is above this takes no new
 *     agents
 */
public record Limits(
    int maxHosts, int maxAgents, int maxMovesPerHost, int maxMovesPerLink, double maxSpotRisk) {
  public Limits {
    if (maxHosts < 1 || maxAgents < 1 || maxMovesPerHost < 1 || maxMovesPerLink < 1) {
      throw new IllegalArgumentException("limits must be at least 1");
    }
    if (!(maxSpotRisk >= 0 && maxSpotRisk <= 1)) {
      throw new IllegalArgumentException("maxSpotRisk must be in [0, 1], got " + maxSpotRisk);
    }
  }
}
