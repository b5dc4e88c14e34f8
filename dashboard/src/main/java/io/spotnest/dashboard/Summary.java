package io.spotnest.dashboard;

import java.util.List;

/**
 * The headline numbers of a snapshot ({@code /api/summary}).
 *
 * @param poolsClosed pools closed to launches (not draining)
 * @param poolsDraining pools being drained (a burst)
 * @param maxRisk the highest latest risk over all pools
 * @param maxPauseMs the longest pause of any migration (0 when none)
 */
public record Summary(
    long asOfEpochMs,
    String source,
    List<String> notes,
    int hosts,
    int spotHosts,
    int onDemandHosts,
    int agents,
    int pools,
    int poolsClosed,
    int poolsDraining,
    double maxRisk,
    int migrations,
    long maxPauseMs,
    double costUsd,
    double allOnDemandUsd,
    double savingPct) {

  public Summary {
    notes = List.copyOf(notes);
  }

  /** The summary of {@code s}. */
  public static Summary of(DashboardSnapshot s) {
    int spot = (int) s.hosts().stream().filter(h -> h.market() == Market.SPOT).count();
    double maxRisk = s.risk().stream().mapToDouble(PoolRisk::latest).max().orElse(0);
    long maxPause = s.migrations().stream().mapToLong(MigrationView::pauseMs).max().orElse(0);
    return new Summary(
        s.asOfEpochMs(),
        s.source(),
        s.notes(),
        s.hosts().size(),
        spot,
        s.hosts().size() - spot,
        s.agents().size(),
        s.risk().size(),
        inState(s, "closed"),
        inState(s, "draining"),
        maxRisk,
        s.migrations().size(),
        maxPause,
        s.savings().costUsd(),
        s.savings().allOnDemandUsd(),
        s.savings().savingPct());
  }

  private static int inState(DashboardSnapshot s, String state) {
    return (int) s.pools().stream().filter(p -> p.state().equals(state)).count();
  }
}
