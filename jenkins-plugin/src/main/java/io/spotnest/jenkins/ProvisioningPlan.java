package io.spotnest.jenkins;

/**
 * How many agents to start for a template: the excess workload, capped by the template's and the
 * cloud's caps.
 */
final class ProvisioningPlan {
  private ProvisioningPlan() {}

  static int agentsToStart(
      int excessWorkload, int templateCap, int templateAgents, int cloudCap, int cloudAgents) {
    int wanted = Math.max(0, excessWorkload);
    int templateRoom = Math.max(0, templateCap - templateAgents);
    int cloudRoom = Math.max(0, cloudCap - cloudAgents);
    return Math.min(wanted, Math.min(templateRoom, cloudRoom));
  }
}
