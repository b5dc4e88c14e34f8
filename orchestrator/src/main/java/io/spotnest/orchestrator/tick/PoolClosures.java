package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.model.PoolKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Spot pools closed to our launches for a while because a launch there failed: the orchestrator
 * learns that a pool has no capacity only that way. Held in memory: after a restart a closed pool
 * is simply tried once more.
 */
final class PoolClosures {
  private final Map<PoolKey, Instant> closedUntil = new HashMap<>();

  void close(PoolKey pool, Instant until) {
    closedUntil.merge(pool, until, (a, b) -> a.isAfter(b) ? a : b);
  }

  boolean isOpen(PoolKey pool, Instant now) {
    Instant until = closedUntil.get(pool);
    if (until != null && !now.isBefore(until)) {
      closedUntil.remove(pool);
      return true;
    }
    return until == null;
  }
}
