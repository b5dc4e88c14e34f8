package io.spotnest.orchestrator.port;

import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import java.util.Objects;

/** What host to launch: pool, market, and the memory it must offer to agent VMs. */
public record HostOrder(PoolKey pool, Market market, long capacityMiB) {
  public HostOrder {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(market, "market");
    if (capacityMiB <= 0) {
      throw new IllegalArgumentException("capacityMiB must be positive, got " + capacityMiB);
    }
  }
}
