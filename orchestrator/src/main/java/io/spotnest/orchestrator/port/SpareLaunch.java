package io.spotnest.orchestrator.port;

import java.util.Objects;

/**
 * Launch an on-demand host in {@code zoneId} with room for {@code agentMiB}, kept empty for
 * evacuations.
 */
public record SpareLaunch(String zoneId, long agentMiB) {
  public SpareLaunch {
    Objects.requireNonNull(zoneId, "zoneId");
  }
}
