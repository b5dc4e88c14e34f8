package io.spotnest.jenkins;

import hudson.model.Action;
import io.spotnest.jenkins.port.AgentEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Turns the orchestrator's move and loss events into what Jenkins shows: the lines of {@link
 * BuildLogMessages} in the agent's log and in the console of every build running on the agent; for
 * a loss, each of those builds is rescheduled with its parameters and a {@link
 * SpotNestRescheduleCause}, then aborted, once per build, and what Jenkins did (the queue item, or
 * why it refused; or that no build ran) is kept in {@link LostBuildOutcomes} for the admin page. A
 * rescheduled build is remembered only while it still runs on its lost agent (a loss told again
 * would find it there); at each event the builds that no longer do are forgotten, so the memory
 * stays as small as the builds being aborted.
 */
public final class BuildLogRelay implements Consumer<AgentEvent> {
  private final AgentLogs logs;
  private final AgentBuilds builds;
  private final LostBuildOutcomes outcomes;

  /** Per lost agent, the ids of its builds rescheduled and still running there. */
  private final Map<String, Set<String>> rescheduled = new ConcurrentHashMap<>();

  public BuildLogRelay(AgentLogs logs, AgentBuilds builds, LostBuildOutcomes outcomes) {
    this.logs = logs;
    this.builds = builds;
    this.outcomes = outcomes;
  }

  @Override
  public void accept(AgentEvent event) {
    forgetEnded();
    if (event instanceof AgentEvent.Migrated migrated) {
      String line = BuildLogMessages.migrated(migrated);
      logs.println(event.agentName(), line);
      for (AgentBuild build : builds.running(event.agentName())) {
        build.println(line);
      }
    } else if (event instanceof AgentEvent.Lost lost) {
      logs.println(event.agentName(), BuildLogMessages.agentLost(lost));
      List<BuildOutcome> done = new ArrayList<>();
      for (AgentBuild build : builds.running(event.agentName())) {
        if (rescheduled
            .computeIfAbsent(event.agentName(), a -> ConcurrentHashMap.newKeySet())
            .add(build.id())) {
          done.add(new BuildOutcome(build.id(), rescheduleAndAbort(lost, build)));
        }
      }
      outcomes.told(event.agentName(), done);
    }
  }

  /** How many rescheduled builds it remembers. */
  int remembered() {
    return rescheduled.values().stream().mapToInt(Set::size).sum();
  }

  /** Forgets the rescheduled builds that no longer run on their lost agent. */
  private void forgetEnded() {
    for (String agent : Set.copyOf(rescheduled.keySet())) {
      Set<String> running =
          builds.running(agent).stream().map(AgentBuild::id).collect(Collectors.toSet());
      rescheduled.computeIfPresent(
          agent,
          (a, ids) -> {
            ids.retainAll(running);
            return ids.isEmpty() ? null : ids;
          });
    }
  }

  private static Requeue rescheduleAndAbort(AgentEvent.Lost lost, AgentBuild build) {
    SpotNestRescheduleCause cause =
        new SpotNestRescheduleCause(lost.agentName(), lost.host(), lost.reason());
    Requeue requeue = reschedule(build, RescheduleActions.of(cause, build.parameters()));
    build.println(
        requeue.accepted()
            ? BuildLogMessages.lost(lost, requeue, SpotNestRescheduleCause.class)
            : BuildLogMessages.lostNotRescheduled(lost, requeue));
    build.abort(new SpotNestLossInterruption(lost.agentName(), lost.host(), requeue.accepted()));
    return requeue;
  }

  /**
   * Puts the build's job in the queue again; Jenkins' queue runs other plugins' decision handlers
   * and listeners, so a failure there is a refusal saying so, never an exception that would leave
   * this build (and the next ones on the agent) untold and running on a lost agent.
   */
  private static Requeue reschedule(AgentBuild build, List<Action> actions) {
    try {
      return build.reschedule(actions);
    } catch (RuntimeException e) {
      return Requeue.refused(
          "putting it in the queue failed: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }
}
