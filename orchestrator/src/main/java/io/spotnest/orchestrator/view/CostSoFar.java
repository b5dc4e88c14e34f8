package io.spotnest.orchestrator.view;

/**
 * What the hosts cost while this process watched them, against the same host-hours all on demand.
 *
 * @param costUsd spot hosts at the spot price, on-demand hosts at the on-demand price
 * @param allOnDemandUsd every host-hour at the on-demand price of its instance type
 */
public record CostSoFar(double costUsd, double allOnDemandUsd) {
  public static final CostSoFar NONE = new CostSoFar(0, 0);

  public CostSoFar {
    if (!(costUsd >= 0) || !(allOnDemandUsd >= 0)) {
      throw new IllegalArgumentException("costs must not be negative");
    }
  }

  /** Saving against all on demand, percent (0 when nothing has run). */
  public double savingPct() {
    return allOnDemandUsd == 0 ? 0 : 100 * (allOnDemandUsd - costUsd) / allOnDemandUsd;
  }
}
