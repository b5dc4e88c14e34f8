package io.spotnest.strategy.sim;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.signal.PoolId;
import java.time.Instant;
import java.util.Optional;

/**
 * A hand-made spot pool for the simulations: r5.16xlarge in a zone, with a capacity count a minute
 * from 2023-04-19 00:00 UTC, spot at 0.3 of on-demand, 512 GiB hosts, no advisor entry and no
 * generated reclamations.
 */
final class HandPool {
  private HandPool() {}

  /**
   * The pool of r5.16xlarge in {@code zone} whose trace, named {@code name}, counts {@code counts}.
   */
  static PoolMarket of(String name, String zone, int[] counts) {
    return new PoolMarket(
        new CapacityTrace(
            name,
            new PoolId("r5.16xlarge", zone),
            Instant.parse("2023-04-19T00:00:00Z"),
            60,
            counts),
        0.3,
        512,
        Optional.empty(),
        "test",
        false);
  }
}
