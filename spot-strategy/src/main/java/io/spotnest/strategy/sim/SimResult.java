package io.spotnest.strategy.sim;

import java.util.Objects;

/**
 * The outcome of one strategy on one trace set and workload, over the scored part of the run. Cost
 * is in on-demand GiB-hours of host (the on-demand price of one GiB of the host for one hour), so
 * savings do not depend on absolute prices; {@code onDemandCost} is the part spent on on-demand
 * hosts; cross-zone transfer and the rest of builds left unfinished at the end (billed as if
 * finished on on-demand) are in {@code cost}.
 *
 * @param buildsRestarted distinct builds that lost progress to a reclamation in the scored part
 * @param completed builds finished in the whole run; with {@code incomplete} every build of the
 *     workload that arrives before the end of the run
 * @param migratedGiB bytes sent by migrations, GiB (dirty pages sent again included)
 * @param crossZoneGiB the part of {@code migratedGiB} and {@code copyGiB} sent between zones
 *     (billed both ways)
 * @param lostRunCost what the runs lost to restarts would have cost on right-sized on-demand hosts
 *     (not in {@code cost}; see {@link #costWithLostRuns()})
 * @param copyGiB bytes sent by standing-copy streams and flushes, GiB (cross-zone ones are also in
 *     {@code crossZoneGiB})
 * @param flushes notices answered by flushing a standing copy (also counted in {@code migrations})
 * @param restarts the restarted builds by the cause of their first restart in the scored part
 * @param note how the result came about, when not obvious (the oracle's chosen plan), or empty
 */
public record SimResult(
    String strategy,
    double cost,
    double onDemandCost,
    int buildsRestarted,
    double buildHoursLost,
    int migrations,
    int deadlineMisses,
    double meanCompletionMin,
    int completed,
    int incomplete,
    double migratedGiB,
    double crossZoneGiB,
    double lostRunCost,
    double copyGiB,
    int flushes,
    RestartBreakdown restarts,
    String note) {

  public SimResult {
    Objects.requireNonNull(restarts, "restarts");
    Objects.requireNonNull(note, "note");
  }

  /** Saving versus {@code onDemandCost}, in percent; NaN when there is nothing to compare with. */
  public double savingPct(double onDemandCost) {
    return onDemandCost <= 0 ? Double.NaN : 100 * (1 - cost / onDemandCost);
  }

  SimResult as(String name, String why) {
    return new SimResult(
        name,
        cost,
        onDemandCost,
        buildsRestarted,
        buildHoursLost,
        migrations,
        deadlineMisses,
        meanCompletionMin,
        completed,
        incomplete,
        migratedGiB,
        crossZoneGiB,
        lostRunCost,
        copyGiB,
        flushes,
        restarts,
        why);
  }

  /**
   * The cost with every run lost to a restart charged again at on-demand: what a restart-free plan
   * could have paid for that work instead. The oracle restarts nothing; it is compared with
   * restarting strategies on this.
   */
  public double costWithLostRuns() {
    return cost + lostRunCost;
  }
}
