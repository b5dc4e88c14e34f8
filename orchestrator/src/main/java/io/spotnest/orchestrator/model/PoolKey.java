package io.spotnest.orchestrator.model;

import java.util.Objects;

/**
 * A host pool as the orchestrator keys it: instance type and the provider's zone <em>id</em> (e.g.
 * {@code use1-az4}), which, unlike the zone name, means the same place in every account.
 */
public record PoolKey(String instanceType, String zoneId) {
  public PoolKey {
    if (instanceType == null || instanceType.isBlank()) {
      throw new IllegalArgumentException("instanceType must not be blank");
    }
    if (zoneId == null || zoneId.isBlank()) {
      throw new IllegalArgumentException("zoneId must not be blank");
    }
  }

  @Override
  public String toString() {
    return instanceType + "@" + Objects.requireNonNull(zoneId);
  }
}
