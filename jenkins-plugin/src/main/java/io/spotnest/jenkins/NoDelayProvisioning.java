package io.spotnest.jenkins;

import hudson.model.Label;
import hudson.slaves.Cloud.CloudState;
import hudson.slaves.NodeProvisioner.PlannedNode;
import hudson.slaves.NodeProvisioner.StrategyDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Provisioning without Jenkins' default delay: for a label some SpotNest cloud (with {@code
 * noDelayProvisioning} on) can provision, it asks those clouds for the whole excess workload at
 * once, within their caps. Any other label, or a fleet that cannot start, is left to the other
 * strategies (Jenkins' default one then provisions as before, and an agent's launch log and the
 * SpotNest page keep saying why the fleet cannot start).
 */
final class NoDelayProvisioning {
  private static final Logger LOGGER = Logger.getLogger(NoDelayProvisioning.class.getName());

  /** The agents planned in one pass and whether the other strategies still need to be asked. */
  record Outcome(List<PlannedNode> planned, StrategyDecision decision) {
    static Outcome notOurs() {
      return new Outcome(List.of(), StrategyDecision.CONSULT_REMAINING_STRATEGIES);
    }
  }

  private final FleetReadiness fleet;

  NoDelayProvisioning(FleetReadiness fleet) {
    this.fleet = fleet;
  }

  /**
   * The clouds that provision {@code label} without delay; none for a label no template carries.
   */
  static List<SpotNestCloud> serving(Label label, int plannedCapacity, List<SpotNestCloud> clouds) {
    List<SpotNestCloud> ours = new ArrayList<>();
    for (SpotNestCloud cloud : clouds) {
      if (cloud.isNoDelayProvisioning()
          && cloud.canProvision(new CloudState(label, plannedCapacity))) {
        ours.add(cloud);
      }
    }
    return ours;
  }

  Outcome provision(Label label, LabelLoad load, List<SpotNestCloud> clouds) {
    List<SpotNestCloud> ours = serving(label, load.additionalPlannedCapacity(), clouds);
    if (ours.isEmpty()) {
      return Outcome.notOurs();
    }
    int excess = load.excessWorkload();
    if (excess == 0) {
      return new Outcome(List.of(), StrategyDecision.PROVISIONING_COMPLETED);
    }
    Optional<String> problem = fleet.problem();
    if (problem.isPresent()) {
      LOGGER.log(
          Level.FINE,
          "SpotNest: no immediate provisioning for label {0}: {1}",
          new Object[] {label, problem.get()});
      return Outcome.notOurs();
    }
    List<PlannedNode> planned = new ArrayList<>();
    for (SpotNestCloud cloud : ours) {
      // each cloud counts against its caps what it plans here; another cloud's agents are not its
      CloudState state = new CloudState(label, load.additionalPlannedCapacity());
      for (PlannedNode node : cloud.provision(state, excess)) {
        planned.add(node);
        excess -= node.numExecutors;
      }
      if (excess <= 0) {
        break;
      }
    }
    LOGGER.log(
        planned.isEmpty() ? Level.FINE : Level.INFO,
        "SpotNest: {0} agent(s) planned at once for label {1} ({2} build(s) still without one)",
        new Object[] {planned.size(), label, Math.max(0, excess)});
    return new Outcome(
        List.copyOf(planned),
        excess <= 0
            ? StrategyDecision.PROVISIONING_COMPLETED
            : StrategyDecision.CONSULT_REMAINING_STRATEGIES);
  }
}
