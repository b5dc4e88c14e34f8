package io.spotnest.dashboard;

import java.util.List;
import java.util.Objects;

/**
 * Everything the dashboard shows at one instant, taken at once so that the endpoints agree with
 * each other.
 *
 * @param asOfEpochMs the instant the snapshot describes (a replay's trace time, or the wall clock
 *     of a run)
 * @param source what the numbers come from, in a few words
 * @param notes what the source does not provide and why, shown on the page
 */
public record DashboardSnapshot(
    long asOfEpochMs,
    String source,
    List<String> notes,
    List<HostView> hosts,
    List<AgentView> agents,
    List<PoolRisk> risk,
    List<MigrationView> migrations,
    Savings savings) {
  public DashboardSnapshot {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(savings, "savings");
    notes = List.copyOf(notes);
    hosts = List.copyOf(hosts);
    agents = List.copyOf(agents);
    risk = List.copyOf(risk);
    migrations = List.copyOf(migrations);
  }
}
