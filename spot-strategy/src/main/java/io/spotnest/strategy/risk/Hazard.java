package io.spotnest.strategy.risk;

import java.time.Duration;

/** The reclamation risk of one pool at one instant, as a probability for any horizon. */
public interface Hazard {

  /**
   * Probability that a host of the pool is reclaimed within {@code horizon} from now; monotone in
   * horizon.
   */
  double probabilityWithin(Duration horizon);

  default double p5() {
    return probabilityWithin(Duration.ofMinutes(5));
  }

  default double p15() {
    return probabilityWithin(Duration.ofMinutes(15));
  }

  default double p60() {
    return probabilityWithin(Duration.ofMinutes(60));
  }
}
