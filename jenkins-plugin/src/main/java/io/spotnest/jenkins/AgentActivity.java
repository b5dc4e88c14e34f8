package io.spotnest.jenkins;

import hudson.model.Computer;
import hudson.model.Node;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;

/** What Jenkins sees of each SpotNest agent: its channel connected, a build running. */
@FunctionalInterface
public interface AgentActivity {

  /** One agent as Jenkins sees it. */
  record Seen(String agentName, boolean connected, boolean busy) {}

  List<Seen> agents();

  /** Jenkins' own nodes and computers. */
  static AgentActivity jenkins() {
    return () -> {
      List<Seen> seen = new ArrayList<>();
      for (Node node : Jenkins.get().getNodes()) {
        if (node instanceof SpotNestAgent agent) {
          Computer c = Jenkins.get().getComputer(agent.getNodeName());
          seen.add(
              new Seen(
                  agent.getNodeName(), c != null && c.isOnline(), c != null && c.countBusy() > 0));
        }
      }
      return seen;
    };
  }
}
