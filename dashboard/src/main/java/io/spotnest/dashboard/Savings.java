package io.spotnest.dashboard;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the hosts have cost so far against the same host-hours all on demand.
 *
 * @param costUsd what was paid (spot and on-demand hosts as rented)
 * @param allOnDemandUsd what the same hours would have cost on demand
 */
public record Savings(double costUsd, double allOnDemandUsd) {
  public static final Savings NONE = new Savings(0, 0);

  public Savings {
    Values.nonNegative("costUsd", costUsd);
    Values.nonNegative("allOnDemandUsd", allOnDemandUsd);
  }

  /** Saving against all on demand, percent (0 when nothing has run). */
  @JsonProperty("savingPct")
  public double savingPct() {
    return allOnDemandUsd == 0 ? 0 : 100 * (allOnDemandUsd - costUsd) / allOnDemandUsd;
  }
}
