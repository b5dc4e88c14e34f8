package io.spotnest.jenkins;

import java.util.List;

/** The builds running on an agent's executors right now. */
@FunctionalInterface
public interface AgentBuilds {

  List<AgentBuild> running(String agentName);
}
