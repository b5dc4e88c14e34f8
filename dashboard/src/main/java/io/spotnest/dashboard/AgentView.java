package io.spotnest.dashboard;

import java.util.Objects;

/**
 * One agent VM as the dashboard shows it.
 *
 * @param state its life-cycle state (requested, placed, booting, online, busy, migrating, draining,
 *     gone)
 * @param host the host it runs on, empty when it has none
 * @param buildSteps steps its build has completed so far
 */
public record AgentView(String id, String state, String host, long buildSteps) {
  public AgentView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(host, "host");
    Values.nonNegative("buildSteps", buildSteps);
  }
}
