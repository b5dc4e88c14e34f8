package io.spotnest.strategy.sim;

/** A way of running the workload on the market; the simulator calls it every tick. */
interface Strategy {

  String name();

  /** Where a waiting build should start: a pool, or null for on-demand. */
  Market choosePool(Build build, SimContext ctx);

  /** Called once when a host receives its interruption notice. */
  default void onNotice(SimHost host, SimContext ctx) {
  }

  /** Called every simulation tick after migrations and builds progressed. */
  default void onTick(SimContext ctx) {
  }

  /** Whether launches by this strategy are ready at once (only the oracle). */
  default boolean instantLaunch() {
    return false;
  }
}
