package io.spotnest.orchestrator.adapter.hosts;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.Pool;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.HostOrder;

/**
 * How the orchestrator's pools (instance type and zone <em>id</em>) map onto a provider's pools
 * (instance type and zone name).
 */
public interface PoolMapping {

  /** The provider pool to launch {@code order} in. */
  Pool poolFor(HostOrder order);

  /**
   * The orchestrator's pool of a host whose launch order is not known here (launched before a
   * restart).
   */
  PoolKey keyOf(Host host);

  /**
   * Instance type as is, the host's zone id as the key; zone name = zone id (EC2 zone ids are
   * accepted).
   */
  static PoolMapping byZoneId() {
    return new PoolMapping() {
      @Override
      public Pool poolFor(HostOrder order) {
        return new Pool(order.pool().instanceType(), order.pool().zoneId());
      }

      @Override
      public PoolKey keyOf(Host host) {
        return new PoolKey(host.pool().instanceType(), host.zoneId());
      }
    };
  }
}
