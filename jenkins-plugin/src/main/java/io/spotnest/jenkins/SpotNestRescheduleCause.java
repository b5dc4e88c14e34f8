package io.spotnest.jenkins;

import hudson.model.Cause;
import java.util.Objects;

/**
 * The cause of a build that SpotNest rescheduled because its agent was lost (its host vanished, its
 * VM failed to boot, ...: the reason says which). {@code vanishedHost} is the host the agent was
 * on, whether or not it vanished (null when the loss names none); the field keeps its name for the
 * builds saved with it.
 */
public final class SpotNestRescheduleCause extends Cause {
  private final String agentName;
  private final String vanishedHost;
  private final String reason;

  public SpotNestRescheduleCause(String agentName, String vanishedHost, String reason) {
    this.agentName = Objects.requireNonNull(agentName, "agentName");
    this.vanishedHost = vanishedHost;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public String getAgentName() {
    return agentName;
  }

  public String getVanishedHost() {
    return vanishedHost;
  }

  public String getReason() {
    return reason;
  }

  @Override
  public String getShortDescription() {
    return "Rescheduled by SpotNest: agent "
        + BuildLogMessages.agentOnHost(agentName, vanishedHost)
        + " was lost: "
        + reason;
  }
}
