package io.spotnest.strategy.fleet;

import java.util.Objects;

/** Where an evacuated agent goes. */
public sealed interface Destination {

  /** A host that exists (or one an earlier decision of the same plan launches, by its key). */
  record Host(String hostId) implements Destination {
    public Host {
      Objects.requireNonNull(hostId, "hostId");
    }
  }

  /**
   * A new right-sized on-demand host in {@code zone}, to be launched for this agent; later
   * decisions of the same plan may name it as {@code Host(key)}.
   */
  record NewOnDemandHost(String key, String zone) implements Destination {
    public NewOnDemandHost {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(zone, "zone");
    }
  }

  /** A new spot host in {@code pool} (its launch may fail for lack of capacity). */
  record NewSpotHost(io.spotnest.strategy.signal.PoolId pool) implements Destination {
    public NewSpotHost {
      Objects.requireNonNull(pool, "pool");
    }
  }
}
