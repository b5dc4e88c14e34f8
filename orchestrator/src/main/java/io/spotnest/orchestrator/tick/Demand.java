package io.spotnest.orchestrator.tick;

/**
 * Memory of the new agents still waiting for a host, by the capacity they may use.
 *
 * @param spotMiB of spot-only agents
 * @param onDemandMiB of on-demand-only agents
 * @param eitherMiB of prefer-spot agents
 */
public record Demand(long spotMiB, long onDemandMiB, long eitherMiB) {
  public static final Demand NONE = new Demand(0, 0, 0);

  public long totalMiB() {
    return spotMiB + onDemandMiB + eitherMiB;
  }
}
