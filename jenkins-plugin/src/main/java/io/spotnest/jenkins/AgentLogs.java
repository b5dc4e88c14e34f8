package io.spotnest.jenkins;

import hudson.model.Computer;
import hudson.slaves.SlaveComputer;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/** Where SpotNest tells what happened to an agent: the log Jenkins keeps for that agent. */
@FunctionalInterface
public interface AgentLogs {

  void println(String agentName, String line);

  /** The agent computer's log in Jenkins; the system log when the agent is no longer there. */
  static AgentLogs jenkins() {
    Logger fallback = Logger.getLogger(AgentLogs.class.getName());
    return (agentName, line) -> {
      Computer c = Jenkins.get().getComputer(agentName);
      if (c instanceof SlaveComputer agent) {
        agent.getListener().getLogger().println(line);
      } else {
        fallback.info(line);
      }
    };
  }
}
