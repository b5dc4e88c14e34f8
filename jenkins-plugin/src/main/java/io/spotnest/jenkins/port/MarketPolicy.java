package io.spotnest.jenkins.port;

/** Which capacity an agent may run on. */
public enum MarketPolicy {
  SPOT_ONLY("Spot only"),
  PREFER_SPOT("Prefer spot, fall back to on-demand"),
  ON_DEMAND_ONLY("On-demand only");

  private final String displayName;

  MarketPolicy(String displayName) {
    this.displayName = displayName;
  }

  /** The label shown in the template's drop-down. */
  public String displayName() {
    return displayName;
  }
}
