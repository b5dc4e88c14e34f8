package io.spotnest.strategy.sim;

/**
 * Spot in the cheapest pool whose launches did not fail lately; a reclaimed build restarts (what
 * today's EC2 cloud plugins do).
 */
final class SpotRestart implements Strategy {
  @Override
  public String name() {
    return "spot + restart";
  }

  @Override
  public SpotPool choosePool(BuildRequest build, SimContext ctx) {
    return ctx.cheapestAvailable();
  }
}
