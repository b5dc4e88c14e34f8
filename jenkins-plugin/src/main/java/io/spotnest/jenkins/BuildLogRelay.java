package io.spotnest.jenkins;

import io.spotnest.jenkins.port.AgentEvent;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns the orchestrator's move and loss events into what Jenkins shows: the lines of {@link
 * BuildLogMessages} in the agent's log and in the console of every build running on the agent; for
 * a loss, each of those builds is rescheduled with its parameters and a {@link
 * SpotNestRescheduleCause}, then aborted, once per build.
 */
public final class BuildLogRelay implements Consumer<AgentEvent> {
  private final AgentLogs logs;
  private final AgentBuilds builds;
  private final Set<String> rescheduled = ConcurrentHashMap.newKeySet();

  public BuildLogRelay(AgentLogs logs, AgentBuilds builds) {
    this.logs = logs;
    this.builds = builds;
  }

  @Override
  public void accept(AgentEvent event) {
    if (event instanceof AgentEvent.Migrated migrated) {
      String line = BuildLogMessages.migrated(migrated);
      logs.println(event.agentName(), line);
      for (AgentBuild build : builds.running(event.agentName())) {
        build.println(line);
      }
    } else if (event instanceof AgentEvent.Lost lost) {
      logs.println(event.agentName(), BuildLogMessages.lost(lost, SpotNestRescheduleCause.class));
      for (AgentBuild build : builds.running(event.agentName())) {
        if (rescheduled.add(build.id())) {
          rescheduleAndAbort(lost, build);
        }
      }
    }
  }

  private static void rescheduleAndAbort(AgentEvent.Lost lost, AgentBuild build) {
    SpotNestRescheduleCause cause =
        new SpotNestRescheduleCause(lost.agentName(), lost.vanishedHost(), lost.reason());
    boolean accepted = build.reschedule(RescheduleActions.of(cause, build.parameters()));
    build.println(
        accepted
            ? BuildLogMessages.lost(lost, SpotNestRescheduleCause.class)
            : BuildLogMessages.lostNotRescheduled(lost));
    build.abort(new SpotNestLossInterruption(lost.agentName(), lost.vanishedHost(), accepted));
  }
}
