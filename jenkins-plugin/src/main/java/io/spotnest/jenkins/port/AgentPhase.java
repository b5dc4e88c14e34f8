package io.spotnest.jenkins.port;

/** An agent VM's life cycle as the orchestrator sees it. */
public enum AgentPhase {
  STARTING,
  RUNNING,
  MIGRATING,
  LOST,
  TERMINATED;

  /** Whether the agent still counts against the caps. */
  public boolean isActive() {
    return this != LOST && this != TERMINATED;
  }
}
