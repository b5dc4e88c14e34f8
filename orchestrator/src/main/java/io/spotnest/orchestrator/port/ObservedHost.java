package io.spotnest.orchestrator.port;

import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import java.util.Objects;

/**
 * A host as the cloud lists it right now.
 *
 * @param launchKey the caller key it was launched with (from its tag)
 * @param running true when it runs and its hypervisor is reachable; false while pending
 */
public record ObservedHost(
    String id, String launchKey, PoolKey pool, Market market, long capacityMiB, boolean running) {
  public ObservedHost {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(launchKey, "launchKey");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(market, "market");
  }
}
