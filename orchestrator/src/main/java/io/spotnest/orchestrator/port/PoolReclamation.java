package io.spotnest.orchestrator.port;

import io.spotnest.orchestrator.model.PoolKey;
import java.time.Instant;
import java.util.Objects;

/**
 * A reclamation the market showed in a pool, of capacity that is not ours (e.g. a spot probe's
 * instance or a replayed trace): a pool signal, not an event about one of our hosts.
 *
 * @param id the source's stable id for it (counted once however often it is reported)
 */
public record PoolReclamation(PoolKey pool, String id, Instant at) {
  public PoolReclamation {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
  }
}
