package io.spotnest.strategy.risk;

import io.spotnest.strategy.signal.PoolSnapshot;

/**
 * Turns what is known about a pool into a {@link Hazard}. Pluggable: a learned model can replace
 * the default.
 */
public interface RiskModel {

  /** The hazard of the pool described by {@code snapshot}; must use nothing beyond the snapshot. */
  Hazard assess(PoolSnapshot snapshot);
}
