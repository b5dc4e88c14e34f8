package io.spotnest.strategy.sim;

/** Spot whenever a pool has capacity; a reclaimed build restarts (what today's EC2 cloud plugins do). */
final class SpotRestart implements Strategy {
  @Override
  public String name() {
    return "spot + restart";
  }

  @Override
  public Market choosePool(Build build, SimContext ctx) {
    return ctx.cheapestOpen();
  }
}
