package io.spotnest.jenkins;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.slaves.RetentionStrategy;
import io.spotnest.jenkins.port.AgentPhase;
import io.spotnest.jenkins.port.AgentStatus;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
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

  /**
   * While the fleet cannot start (the risk loop says why) an idle agent is kept: its VM could not
   * be ended, and its node would be gone.
   */
  @Override
  public long check(SpotNestComputer computer) {
    Optional<AgentPhase> phase = phase(computer);
    if (phase.isEmpty()) {
      return 1;
    }
    RetentionRule.Activity activity =
        new RetentionRule.Activity(
            computer.countBusy(), computer.getIdleStartMilliseconds(), phase.get());
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

  /**
   * A migrating agent takes no new work; the build already on it keeps running. While the fleet
   * cannot start nothing migrates.
   */
  @Override
  public boolean isAcceptingTasks(SpotNestComputer computer) {
    return phase(computer).orElse(AgentPhase.RUNNING) != AgentPhase.MIGRATING;
  }

  @Override
  public void start(SpotNestComputer computer) {
    computer.connect(false);
  }

  /**
   * The orchestrator's phase of the agent; RUNNING when it does not know the agent; empty when the
   * fleet cannot start (e.g. {@code FleetConfigException}). Jenkins asks from its queue maintenance
   * and retention loop, which do not catch, so this never throws for that.
   */
  static Optional<AgentPhase> phase(SpotNestComputer computer) {
    SpotNestAgent agent = computer.getNode();
    if (agent == null) {
      return Optional.of(AgentPhase.TERMINATED);
    }
    List<AgentStatus> agents;
    try {
      agents = agent.backend().controller().agents();
    } catch (IllegalStateException e) {
      LOGGER.fine(
          () -> "SpotNest: no phase for agent " + agent.getNodeName() + ": " + e.getMessage());
      return Optional.empty();
    }
    for (AgentStatus status : agents) {
      if (status.agentName().equals(agent.getNodeName())) {
        return Optional.of(status.phase());
      }
    }
    return Optional.of(AgentPhase.RUNNING);
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
