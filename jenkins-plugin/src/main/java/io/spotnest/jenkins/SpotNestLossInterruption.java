package io.spotnest.jenkins;

import java.util.Objects;
import jenkins.model.CauseOfInterruption;

/**
 * Why SpotNest aborted a build: its agent was lost (Jenkins records it on the build and prints it).
 * {@code vanishedHost} is the host the agent was on, whether or not it vanished (null when the loss
 * names none); the field keeps its name for the builds saved with it.
 */
public final class SpotNestLossInterruption extends CauseOfInterruption {
  private static final long serialVersionUID = 1L;

  private final String agentName;
  private final String vanishedHost;
  private final boolean rescheduled;

  public SpotNestLossInterruption(String agentName, String vanishedHost, boolean rescheduled) {
    this.agentName = Objects.requireNonNull(agentName, "agentName");
    this.vanishedHost = vanishedHost;
    this.rescheduled = rescheduled;
  }

  public String getAgentName() {
    return agentName;
  }

  public String getVanishedHost() {
    return vanishedHost;
  }

  public boolean isRescheduled() {
    return rescheduled;
  }

  @Override
  public String getShortDescription() {
    return "Aborted by SpotNest: agent "
        + BuildLogMessages.agentOnHost(agentName, vanishedHost)
        + " was lost"
        + (rescheduled ? "; the build was rescheduled" : "; Jenkins refused to reschedule it");
  }
}
