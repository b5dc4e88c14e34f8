package io.spotnest.strategy.sim;

import java.util.Map;

/**
 * A strategy that is handed the future at the start of a run: only the oracle. The simulator gives
 * the market truth and the builds' true lengths to nobody else.
 */
interface Clairvoyant {

  /**
   * The truth of the run about to start, per pool view the strategy will be given, and the true
   * lengths of its builds.
   */
  void foresee(Map<SpotPool, Market> truth, TrueLengths lengths);
}
