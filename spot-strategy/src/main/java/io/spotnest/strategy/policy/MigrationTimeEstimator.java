package io.spotnest.strategy.policy;

import java.time.Duration;

/**
 * How long a live migration of one agent VM takes. The real engine in {@code migration/} implements
 * this from its measurements; the simulator uses {@link ParametricMigrationEstimator}.
 */
public interface MigrationTimeEstimator {

  /**
   * @param ramGiB the agent's memory
   * @param concurrentOnLink migrations sharing the source host's link (1 = alone)
   */
  Duration estimate(double ramGiB, int concurrentOnLink);
}
