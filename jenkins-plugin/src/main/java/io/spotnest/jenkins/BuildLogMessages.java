package io.spotnest.jenkins;

import io.spotnest.jenkins.port.AgentEvent;
import io.spotnest.jenkins.port.MigrationTrigger;
import java.time.Duration;
import java.util.Locale;

/**
 * The lines SpotNest writes into the log of a build whose agent was moved or lost. Pure functions.
 */
public final class BuildLogMessages {

  static final String PREFIX = "[SpotNest] ";

  private BuildLogMessages() {}

  /** "moved from host X to host Y because of R; took N s, paused N ms". */
  public static String migrated(AgentEvent.Migrated event) {
    return PREFIX
        + "Agent "
        + event.agentName()
        + " was live-migrated from host "
        + event.fromHost()
        + " to host "
        + event.toHost()
        + " because "
        + because(event.trigger())
        + ". The move took "
        + seconds(event.took())
        + " s and paused this build for "
        + event.paused().toMillis()
        + " ms; the build kept running.";
  }

  /**
   * What became of the build's agent (its host, and what the orchestrator saw: the host vanished,
   * the VM failed to boot, ...), and that the build was rescheduled with the same parameters, as
   * which queue item, and which cause.
   */
  public static String lost(
      AgentEvent.Lost event, Requeue requeue, Class<? extends hudson.model.Cause> causeType) {
    return lostBuild(event)
        + " It was rescheduled with the same parameters ("
        + requeue.detail()
        + "); the new build's cause is "
        + causeType.getSimpleName()
        + ".";
  }

  /**
   * What became of the build's agent, and that (and why) Jenkins refused to put the build in the
   * queue again.
   */
  public static String lostNotRescheduled(AgentEvent.Lost event, Requeue refused) {
    return lostBuild(event)
        + " Jenkins refused to reschedule it ("
        + refused.detail()
        + "); start it again by hand.";
  }

  /** The agent's own log: "Agent Y on host X was lost: what happened." */
  public static String agentLost(AgentEvent.Lost event) {
    return PREFIX
        + "Agent "
        + agentOnHost(event.agentName(), event.host())
        + " was lost: "
        + sentence(event.reason());
  }

  /** "This build was lost with agent Y on host X: what happened." */
  private static String lostBuild(AgentEvent.Lost event) {
    return PREFIX
        + "This build was lost with agent "
        + agentOnHost(event.agentName(), event.host())
        + ": "
        + sentence(event.reason());
  }

  /**
   * "Y on host X", or only "Y" when the loss names no host (the reason then says what happened).
   */
  static String agentOnHost(String agentName, String host) {
    return host == null ? agentName : agentName + " on host " + host;
  }

  /** The orchestrator's reason as the end of a sentence. */
  private static String sentence(String reason) {
    return reason.endsWith(".") ? reason : reason + ".";
  }

  static String because(MigrationTrigger trigger) {
    if (trigger instanceof MigrationTrigger.Risk risk) {
      return "its reclaim risk "
          + fraction(risk.risk())
          + " passed the threshold "
          + fraction(risk.threshold());
    }
    if (trigger instanceof MigrationTrigger.Notice notice) {
      String name = notice.notice();
      boolean vowel = !name.isEmpty() && "aeiouAEIOU".indexOf(name.charAt(0)) >= 0;
      return "of " + (vowel ? "an " : "a ") + name + " for the old host";
    }
    MigrationTrigger.Operator operator = (MigrationTrigger.Operator) trigger;
    return "an administrator asked (" + operator.action() + ")";
  }

  private static String fraction(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static String seconds(Duration duration) {
    long tenths = Math.round(duration.toMillis() / 100.0);
    return tenths % 10 == 0
        ? Long.toString(tenths / 10)
        : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
  }
}
