package io.spotnest.jenkins.orchestrator;

import hudson.ExtensionList;
import hudson.ExtensionPoint;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.tick.FleetConfig;
import java.time.Duration;
import java.util.List;

/**
 * What the orchestrator inside Jenkins runs on: its ports (hosts, mover, VMs, market, strategy) and
 * its fleet configuration. {@link CloudFleetWiring} provides it in production (from the SpotNest
 * cloud); tests hand one in.
 */
public interface FleetWiring extends ExtensionPoint {

  Orchestrator.Ports ports();

  FleetConfig config();

  /** The agent images templates may name. */
  default List<String> images() {
    return List.of("spotnest-agent");
  }

  /** How long an operator's move may take. */
  default Duration operatorWindow() {
    return Duration.ofMinutes(30);
  }

  /** The build length assumed for a new agent. */
  default Duration expectedBuild() {
    return Duration.ofHours(1);
  }

  /** The installed wiring; throws, saying what is missing, when there is none. */
  static FleetWiring installed() {
    ExtensionList<FleetWiring> all = ExtensionList.lookup(FleetWiring.class);
    if (all.isEmpty()) {
      throw new IllegalStateException(
          "SpotNest: no fleet wiring is installed (hosts, migration and VM adapters)");
    }
    return all.get(0);
  }
}
