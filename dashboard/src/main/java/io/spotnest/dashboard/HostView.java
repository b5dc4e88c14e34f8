package io.spotnest.dashboard;

import java.util.List;
import java.util.Objects;

/**
 * One host as the dashboard shows it.
 *
 * @param pool the spot pool (instance type at zone) or, on demand, the instance type
 * @param risk probability of reclamation within the risk horizon, 0..1 (0 for on-demand hosts)
 * @param agents ids of the agents running on the host
 */
public record HostView(
    String id, Market market, String pool, String zone, double risk, List<String> agents) {
  public HostView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(market, "market");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(zone, "zone");
    Values.probability("risk", risk);
    agents = List.copyOf(agents);
  }
}
