package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Action;
import hudson.model.CauseAction;
import hudson.model.ParametersAction;
import io.spotnest.jenkins.port.AgentEvent;
import io.spotnest.jenkins.port.MigrationTrigger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the relay does to the builds on an agent when the orchestrator tells a move or a loss. */
class BuildLogRelayTest {
  private final List<String[]> agentLog = new ArrayList<>();
  private final FakeAgentBuild first =
      new FakeAgentBuild(
          "app#7",
          new FakeAgentBuild.Param("BRANCH", "main"),
          new FakeAgentBuild.Param("DEPLOY", "false"));
  private final FakeAgentBuild second = new FakeAgentBuild("lib#3");
  private final FakeAgentBuild elsewhere = new FakeAgentBuild("other#1");
  private final Map<String, List<AgentBuild>> running =
      Map.of(
          "nest-1", List.of(first, second), "nest-2", List.of(elsewhere), "nest-idle", List.of());
  private final LostBuildOutcomes outcomes =
      new LostBuildOutcomes(Clock.systemUTC(), LostBuildOutcomes.KEPT);
  private final BuildLogRelay relay =
      new BuildLogRelay(
          (agent, line) -> agentLog.add(new String[] {agent, line}),
          agent -> running.getOrDefault(agent, List.of()),
          outcomes);

  private static final AgentEvent.Migrated MOVED =
      new AgentEvent.Migrated(
          "nest-1",
          "spot-a",
          "spot-b",
          new MigrationTrigger.Risk(0.82, 0.6),
          Duration.ofSeconds(41),
          Duration.ofMillis(183));
  private static final AgentEvent.Lost LOST =
      new AgentEvent.Lost("nest-1", "spot-a", "host spot-a vanished (reclaimed without notice)");

  @Test
  void a_migration_is_written_into_every_build_on_the_agent_and_the_agents_log() {
    relay.accept(MOVED);

    String line = BuildLogMessages.migrated(MOVED);
    assertEquals(List.of(line), first.console);
    assertEquals(List.of(line), second.console);
    assertEquals(List.of(), elsewhere.console, "builds on other agents are not told");
    assertEquals(1, agentLog.size());
    assertEquals("nest-1", agentLog.get(0)[0]);
    assertEquals(line, agentLog.get(0)[1]);
  }

  @Test
  void a_migration_neither_reschedules_nor_aborts() {
    relay.accept(MOVED);

    assertEquals(List.of("println"), first.steps);
    assertEquals(List.of("println"), second.steps);
  }

  @Test
  void a_migration_of_an_idle_agent_goes_to_the_agents_log_only() {
    AgentEvent.Migrated idle =
        new AgentEvent.Migrated(
            "nest-idle",
            "spot-a",
            "spot-b",
            new MigrationTrigger.Notice("interruption notice"),
            Duration.ofSeconds(3),
            Duration.ofMillis(20));
    relay.accept(idle);

    assertEquals(1, agentLog.size());
    assertTrue(first.console.isEmpty() && second.console.isEmpty() && elsewhere.console.isEmpty());
  }

  @Test
  void a_lost_build_is_rescheduled_with_the_same_parameters_and_the_typed_cause() {
    relay.accept(LOST);

    assertEquals(1, first.scheduled.size());
    List<Action> actions = first.scheduled.get(0);
    CauseAction causes =
        (CauseAction)
            actions.stream().filter(CauseAction.class::isInstance).findFirst().orElseThrow();
    assertEquals(1, causes.getCauses().size());
    SpotNestRescheduleCause cause =
        assertInstanceOf(SpotNestRescheduleCause.class, causes.getCauses().get(0));
    assertEquals("nest-1", cause.getAgentName());
    assertEquals("spot-a", cause.getVanishedHost());
    assertEquals("host spot-a vanished (reclaimed without notice)", cause.getReason());
    ParametersAction parameters =
        (ParametersAction)
            actions.stream().filter(ParametersAction.class::isInstance).findFirst().orElseThrow();
    assertEquals(first.parameters, parameters.getParameters(), "the same parameters, in order");
    assertSame(first.parameters.get(0), parameters.getParameters().get(0));
    assertEquals(2, actions.size());
  }

  @Test
  void a_lost_build_without_parameters_is_rescheduled_with_the_cause_only() {
    relay.accept(LOST);

    assertEquals(1, second.scheduled.size());
    assertEquals(1, second.scheduled.get(0).size());
    assertInstanceOf(CauseAction.class, second.scheduled.get(0).get(0));
  }

  @Test
  void a_lost_builds_log_names_the_host_what_happened_and_the_reschedule_before_it_is_aborted() {
    relay.accept(LOST);

    assertEquals(
        List.of(BuildLogMessages.lost(LOST, first.requeue, SpotNestRescheduleCause.class)),
        first.console);
    assertTrue(
        first
            .console
            .get(0)
            .contains("lost with agent nest-1 on host spot-a: host spot-a vanished"),
        first.console.get(0));
    assertTrue(
        first.console.get(0).contains("rescheduled with the same parameters"),
        first.console.get(0));
    assertEquals(List.of("reschedule", "println", "abort"), first.steps);
    SpotNestLossInterruption why =
        assertInstanceOf(SpotNestLossInterruption.class, first.aborted.get(0));
    assertEquals("spot-a", why.getVanishedHost());
    assertTrue(why.isRescheduled());
    assertEquals(List.of(), elsewhere.steps, "builds on other agents are not touched");
  }

  @Test
  void one_loss_told_twice_reschedules_each_build_once() {
    relay.accept(LOST);
    relay.accept(LOST);
    relay.accept(new AgentEvent.Lost("nest-1", "spot-a", "reclaimed without notice (again)"));

    assertEquals(1, first.scheduled.size());
    assertEquals(1, second.scheduled.size());
    assertEquals(1, first.console.size());
    assertEquals(1, first.aborted.size());
  }

  /**
   * A build is remembered only to reschedule it once while a loss may be told again; once it no
   * longer runs on the lost agent (aborted, ended) nothing can reschedule it, so it is forgotten at
   * the next event: the memory does not grow over months of losses.
   */
  @Test
  void a_rescheduled_build_is_forgotten_once_it_no_longer_runs_on_the_lost_agent() {
    Map<String, List<AgentBuild>> now = new java.util.HashMap<>();
    now.put("nest-1", new ArrayList<>(List.of(first, second)));
    BuildLogRelay forgetting =
        new BuildLogRelay(
            (agent, line) -> {},
            agent -> List.copyOf(now.getOrDefault(agent, List.of())),
            new LostBuildOutcomes(Clock.systemUTC(), LostBuildOutcomes.KEPT));
    forgetting.accept(LOST);
    assertEquals(2, forgetting.remembered());

    now.get("nest-1").remove(first); // its abort ended it
    forgetting.accept(LOST); // told again

    assertEquals(1, forgetting.remembered(), "the ended build is forgotten");
    assertEquals(1, first.scheduled.size());
    assertEquals(1, second.scheduled.size(), "one still running is still rescheduled once");

    now.remove("nest-1"); // the agent is gone
    forgetting.accept(MOVED); // any later event

    assertEquals(0, forgetting.remembered());
    for (int i = 0; i < 100; i++) {
      FakeAgentBuild build = new FakeAgentBuild("app#" + (100 + i));
      now.put("nest-" + i, List.of(build));
      forgetting.accept(new AgentEvent.Lost("nest-" + i, "spot-a", "reclaimed"));
      now.remove("nest-" + i);
    }
    assertEquals(1, forgetting.remembered(), "a hundred losses later: only the last");
  }

  @Test
  void a_refused_reschedule_is_said_in_the_log_and_not_claimed() {
    first.requeue = Requeue.refused("a queue decision handler vetoed it");
    relay.accept(LOST);

    assertEquals(1, first.console.size());
    String line = first.console.get(0);
    assertTrue(
        line.contains("on host spot-a: host spot-a vanished")
            && line.contains(
                "Jenkins refused to reschedule it (a queue decision handler vetoed it)"),
        line);
    assertTrue(!line.contains("It was rescheduled"), line);
    SpotNestLossInterruption why =
        assertInstanceOf(SpotNestLossInterruption.class, first.aborted.get(0));
    assertTrue(!why.isRescheduled());
  }

  /**
   * What Jenkins did with each build on a lost agent is kept for the admin page: the queue item of
   * a rescheduled build, why Jenkins refused one, or that no build ran on the agent.
   */
  @Test
  void what_jenkins_did_with_the_builds_of_a_lost_agent_is_kept_for_the_admin_page() {
    first.requeue = Requeue.newItem(42);
    second.requeue = Requeue.refused("a queue decision handler vetoed it");
    long lostAt = System.currentTimeMillis();

    relay.accept(LOST);
    relay.accept(LOST); // told again: nothing new
    relay.accept(new AgentEvent.Lost("nest-idle", "spot-b", "host spot-b vanished (reclaimed)"));

    assertEquals(
        "app#7 rescheduled as queue item 42; lib#3: Jenkins refused to reschedule it: a queue"
            + " decision handler vetoed it",
        outcomes.describe("nest-1", lostAt));
    assertEquals("No build was running on it", outcomes.describe("nest-idle", lostAt));
    assertEquals(
        LostBuildOutcomes.NOT_KNOWN_YET,
        outcomes.describe("nest-2", lostAt),
        "an agent whose loss was not told");
  }

  /**
   * Jenkins' queue may throw (it runs the queue decision handlers and listeners of other plugins):
   * the build is still told, not claimed rescheduled, and aborted; the builds after it on the agent
   * are still rescheduled; and the admin page says why.
   */
  @Test
  void a_reschedule_that_throws_is_told_as_not_rescheduled_and_the_other_builds_go_on() {
    first.failure = new IllegalStateException("a queue listener failed");
    long lostAt = System.currentTimeMillis();

    relay.accept(LOST);

    assertEquals(List.of("reschedule", "println", "abort"), first.steps);
    assertEquals(
        List.of(
            BuildLogMessages.lostNotRescheduled(
                LOST,
                Requeue.refused(
                    "putting it in the queue failed: IllegalStateException: a queue listener"
                        + " failed"))),
        first.console);
    assertTrue(
        !assertInstanceOf(SpotNestLossInterruption.class, first.aborted.get(0)).isRescheduled());
    assertEquals(List.of("reschedule", "println", "abort"), second.steps, "the next build too");
    assertEquals(
        "app#7: Jenkins refused to reschedule it: putting it in the queue failed:"
            + " IllegalStateException: a queue listener failed; lib#3 rescheduled as queue item 42",
        outcomes.describe("nest-1", lostAt));
  }

  @Test
  void the_loss_is_also_told_in_the_agents_log() {
    relay.accept(LOST);

    assertEquals(1, agentLog.size());
    assertEquals(BuildLogMessages.agentLost(LOST), agentLog.get(0)[1]);
  }
}
