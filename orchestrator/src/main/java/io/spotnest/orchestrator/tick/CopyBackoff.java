package io.spotnest.orchestrator.tick;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * When an agent may be given a standing copy again after its last one failed (refused by the mover
 * or ended with the VM still on its source): after {@code first}, doubling with each failure in a
 * row up to {@code longest}. A copy that stands, or ends on its backup, clears the agent's count.
 * Kept in memory: a controller restart tries every agent once more.
 */
final class CopyBackoff {
  private record Failures(int inARow, Instant retryAt) {}

  private final Duration first;
  private final Duration longest;
  private final Map<String, Failures> failures = new HashMap<>();

  CopyBackoff(Duration first, Duration longest) {
    if (first.isNegative() || first.isZero() || longest.compareTo(first) < 0) {
      throw new IllegalArgumentException("backoff " + first + " up to " + longest);
    }
    this.first = first;
    this.longest = longest;
  }

  /** Whether the agent may be given a copy at {@code now}. */
  boolean mayStart(String agentId, Instant now) {
    Failures f = failures.get(agentId);
    return f == null || !now.isBefore(f.retryAt());
  }

  /** Counts a failed copy of the agent at {@code now}; returns when it may be tried again. */
  Instant failed(String agentId, Instant now) {
    int inARow = failures.containsKey(agentId) ? failures.get(agentId).inARow() + 1 : 1;
    Duration wait = inARow > 31 ? longest : first.multipliedBy(1L << Math.min(30, inARow - 1));
    Instant retryAt = now.plus(wait.compareTo(longest) > 0 ? longest : wait);
    failures.put(agentId, new Failures(inARow, retryAt));
    return retryAt;
  }

  /** The agent's copy stood or became a move: its failures no longer count. */
  void succeeded(String agentId) {
    failures.remove(agentId);
  }
}
