package io.spotnest.orchestrator.tick;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * How long each agent has been on its current host, as this controller has seen it (a restart
 * starts the count again: a move back then waits a little longer, never less).
 */
public final class Residence {
  private record Stay(String hostId, Instant since) {}

  private final Map<String, Stay> stays = new HashMap<>();

  public Duration onHostFor(String agentId, String hostId, Instant now) {
    Stay s = stays.get(agentId);
    if (s == null || !s.hostId().equals(hostId)) {
      s = new Stay(hostId, now);
      stays.put(agentId, s);
    }
    return Duration.between(s.since(), now);
  }
}
