package io.spotnest.orchestrator.model;

/** Which capacity an agent may run on. */
public enum MarketPolicy {
  /** Spot hosts only: waits for spot room (or a spot launch) rather than use on-demand. */
  SPOT_ONLY,
  /** Spot first; on-demand only when no spot host has room and no spot host can be launched. */
  PREFER_SPOT,
  /** On-demand hosts only. */
  ON_DEMAND_ONLY;

  /** Whether an agent under this policy may run on a host of {@code market}. */
  public boolean allows(Market market) {
    return switch (this) {
      case SPOT_ONLY -> market == Market.SPOT;
      case ON_DEMAND_ONLY -> market == Market.ON_DEMAND;
      case PREFER_SPOT -> true;
    };
  }

  /** The policy a journal names; an older journal names none, which is {@link #PREFER_SPOT}. */
  public static MarketPolicy of(String journaled) {
    return journaled == null ? PREFER_SPOT : valueOf(journaled);
  }
}
