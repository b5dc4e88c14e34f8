package io.spotnest.dashboard;

/** The risk of a pool at one instant: probability of reclamation within the horizon, 0..1. */
public record RiskPoint(long atEpochMs, double risk) {
  public RiskPoint {
    Values.probability("risk", risk);
  }
}
