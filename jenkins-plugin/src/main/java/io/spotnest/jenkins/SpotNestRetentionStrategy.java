package io.spotnest.jenkins;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.slaves.RetentionStrategy;
import io.spotnest.jenkins.port.AgentPhase;
import io.spotnest.jenkins.port.AgentStatus;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends an agent after {@code idleMinutes} without work, but never one that is busy or migrating; a
 * migrating agent takes no new work.
 */
public class SpotNestRetentionStrategy extends RetentionStrategy<SpotNestComputer> {
  private static final Logger LOGGER = Logger.getLogger(SpotNestRetentionStrategy.class.getName());

  private final int idleMinutes;

  public SpotNestRetentionStrategy(int idleMinutes) {
    this.idleMinutes = idleMinutes;
  }

  public int getIdleMinutes() {
    return idleMinutes;
  }

  @Override
  public long check(SpotNestComputer computer) {
    RetentionRule.Activity activity =
        new RetentionRule.Activity(
            computer.countBusy(), computer.getIdleStartMilliseconds(), phase(computer));
    if (RetentionRule.decide(activity, idleMinutes, System.currentTimeMillis())
        == RetentionRule.TERMINATE) {
      SpotNestAgent agent = computer.getNode();
      if (agent != null) {
        try {
          agent.terminate();
        } catch (IOException e) {
          LOGGER.log(Level.WARNING, "Could not terminate idle agent " + agent.getNodeName(), e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    return 1;
  }

  /** A migrating agent takes no new work; the build already on it keeps running. */
  @Override
  public boolean isAcceptingTasks(SpotNestComputer computer) {
    return phase(computer) != AgentPhase.MIGRATING;
  }

  @Override
  public void start(SpotNestComputer computer) {
    computer.connect(false);
  }

  /** The orchestrator's phase of the agent; RUNNING when it does not know the agent. */
  static AgentPhase phase(SpotNestComputer computer) {
    SpotNestAgent agent = computer.getNode();
    if (agent == null) {
      return AgentPhase.TERMINATED;
    }
    for (AgentStatus status : agent.backend().controller().agents()) {
      if (status.agentName().equals(agent.getNodeName())) {
        return status.phase();
      }
    }
    return AgentPhase.RUNNING;
  }

  /** Registered so Jenkins can show and save agents that carry this strategy. */
  @Extension
  public static final class DescriptorImpl extends Descriptor<RetentionStrategy<?>> {
    public DescriptorImpl() {
      super(SpotNestRetentionStrategy.class);
    }

    @Override
    public String getDisplayName() {
      return "SpotNest: end idle agents, never busy or migrating ones";
    }
  }
}
