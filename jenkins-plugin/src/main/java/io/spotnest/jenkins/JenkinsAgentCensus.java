package io.spotnest.jenkins;

import hudson.model.Node;
import jenkins.model.Jenkins;

/** Counts the {@link SpotNestAgent} nodes of Jenkins. */
final class JenkinsAgentCensus implements AgentCensus {
  @Override
  public int agents(String cloudName) {
    return agents(cloudName, null);
  }

  @Override
  public int agents(String cloudName, String templateKey) {
    int count = 0;
    for (Node node : Jenkins.get().getNodes()) {
      if (node instanceof SpotNestAgent agent
          && agent.getCloudName().equals(cloudName)
          && (templateKey == null || agent.getTemplate().key().equals(templateKey))) {
        count++;
      }
    }
    return count;
  }
}
