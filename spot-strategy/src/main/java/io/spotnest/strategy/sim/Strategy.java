package io.spotnest.strategy.sim;

/**
 * A way of running the workload on the market; the simulator calls it every tick. It sees pools as
 * {@link SpotPool}s (signals up to the run's present only), hosts without their reclamation time
 * and builds as {@link BuildRequest}s without their true length, so it cannot read the future.
 */
interface Strategy {

  String name();

  /** Where a waiting build should start: a pool, or null for on-demand. */
  SpotPool choosePool(BuildRequest build, SimContext ctx);

  /**
   * Called once when a host receives its interruption notice ({@link SimHost#noticeDeadline()} is
   * then set).
   */
  default void onNotice(SimHost host, SimContext ctx) {}

  /** Called every simulation tick after migrations and builds progressed. */
  default void onTick(SimContext ctx) {}

  /** Whether launches by this strategy are ready at once (only the oracle). */
  default boolean instantLaunch() {
    return false;
  }
}
