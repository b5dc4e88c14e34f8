package io.spotnest.orchestrator.port;

import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import java.util.Objects;
import java.util.Optional;

/**
 * A host as the cloud lists it right now.
 *
 * @param launchKey the caller key it was launched with (from its tag)
 * @param running true when it runs and its hypervisor is reachable; false while pending
 * @param underlayAddress the IP address its overlay endpoint (VTEP) is bound to, as its provider
 *     reports it (the address the other hosts' flood lists name); empty when not known
 */
public record ObservedHost(
    String id,
    String launchKey,
    PoolKey pool,
    Market market,
    long capacityMiB,
    boolean running,
    Optional<String> underlayAddress) {
  public ObservedHost {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(launchKey, "launchKey");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(market, "market");
    Objects.requireNonNull(underlayAddress, "underlayAddress");
  }

  /** A host whose underlay address is not known. */
  public ObservedHost(
      String id, String launchKey, PoolKey pool, Market market, long capacityMiB, boolean running) {
    this(id, launchKey, pool, market, capacityMiB, running, Optional.empty());
  }

  /** The same host listed under another market (e.g. a static host someone else sells as spot). */
  public ObservedHost withMarket(Market newMarket) {
    return new ObservedHost(id, launchKey, pool, newMarket, capacityMiB, running, underlayAddress);
  }

  /** The same host, running. */
  public ObservedHost asRunning() {
    return new ObservedHost(id, launchKey, pool, market, capacityMiB, true, underlayAddress);
  }
}
