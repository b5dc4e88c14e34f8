package io.spotnest.strategy.signal;

import java.time.Instant;
import java.util.Objects;

/** A host of the pool was reclaimed at {@code at} (observed, so known from {@code at} on). */
public record Reclamation(PoolId pool, Instant at) implements RiskSignal {
  public Reclamation {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(at, "at");
  }
}
