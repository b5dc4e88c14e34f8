package io.spotnest.strategy.sim;

/**
 * The outcome of one strategy on one trace set and workload. Cost is in on-demand GiB-hours of host (the
 * on-demand price of one GiB of the host for one hour), so savings do not depend on absolute prices;
 * {@code onDemandCost} is the part spent on on-demand hosts.
 */
public record SimResult(String strategy, double cost, double onDemandCost, int buildsRestarted, double buildHoursLost, int migrations,
    int deadlineMisses, double meanCompletionMin, int completed, int incomplete) {

  /** Saving versus {@code onDemandCost}, in percent. */
  public double savingPct(double onDemandCost) {
    return onDemandCost <= 0 ? 0 : 100 * (1 - cost / onDemandCost);
  }
}
