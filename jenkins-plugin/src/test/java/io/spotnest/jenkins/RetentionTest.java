package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.jenkins.orchestrator.FleetConfigException;
import io.spotnest.jenkins.port.AgentPhase;
import io.spotnest.jenkins.port.AgentStatus;
import org.junit.jupiter.api.Test;

class RetentionTest {
  private static final long MINUTE = 60_000L;
  private static final long NOW = 1_000 * MINUTE;

  private static RetentionRule decide(
      int busy, long idleForMinutes, AgentPhase phase, int idleMinutes) {
    return RetentionRule.decide(
        new RetentionRule.Activity(busy, NOW - idleForMinutes * MINUTE, phase), idleMinutes, NOW);
  }

  @Test
  void an_agent_idle_longer_than_the_limit_is_terminated() {
    assertEquals(RetentionRule.TERMINATE, decide(0, 10, AgentPhase.RUNNING, 10));
    assertEquals(RetentionRule.TERMINATE, decide(0, 0, AgentPhase.RUNNING, 0));
  }

  @Test
  void an_agent_idle_for_less_than_the_limit_is_kept() {
    assertEquals(RetentionRule.KEEP_IDLE, decide(0, 9, AgentPhase.RUNNING, 10));
  }

  @Test
  void a_busy_agent_is_never_terminated() {
    assertEquals(RetentionRule.KEEP_BUSY, decide(1, 500, AgentPhase.RUNNING, 10));
  }

  @Test
  void a_migrating_agent_is_never_terminated_even_when_idle_long() {
    assertEquals(RetentionRule.KEEP_MIGRATING, decide(0, 500, AgentPhase.MIGRATING, 10));
    assertEquals(RetentionRule.KEEP_MIGRATING, decide(1, 500, AgentPhase.MIGRATING, 0));
  }

  @Test
  void a_starting_agent_is_not_terminated_before_it_connects() {
    assertEquals(RetentionRule.KEEP_STARTING, decide(0, 500, AgentPhase.STARTING, 1));
  }

  @Test
  void a_migrating_agent_takes_no_new_work() throws Exception {
    FakeController orchestrator = new FakeController();
    SpotNestComputer computer = computerOf(orchestrator);
    SpotNestRetentionStrategy strategy = new SpotNestRetentionStrategy(10);

    assertTrue(strategy.isAcceptingTasks(computer), "unknown to the orchestrator: running");
    orchestrator.agents.add(new AgentStatus("nest-1", "nest", "host-a", AgentPhase.MIGRATING));
    assertFalse(strategy.isAcceptingTasks(computer));
    orchestrator.agents.set(0, new AgentStatus("nest-1", "nest", "host-b", AgentPhase.RUNNING));
    assertTrue(strategy.isAcceptingTasks(computer));
    orchestrator.agents.add(new AgentStatus("nest-2", "nest", "host-b", AgentPhase.MIGRATING));
    assertTrue(strategy.isAcceptingTasks(computer), "another agent's migration does not matter");
  }

  /**
   * Jenkins asks the retention strategy from its queue maintenance (Queue.JobOffer) and its
   * retention loop (ComputerRetentionWork), neither of which catches: while the fleet cannot start
   * (a cloud removed or broken, Jenkins shutting down) the strategy answers instead of throwing.
   */
  @Test
  void an_agent_is_answered_for_while_the_fleet_cannot_start() throws Exception {
    SpotNestBackend broken =
        () -> {
          throw new FleetConfigException(
              "SpotNest: no SpotNest cloud is configured (Manage Jenkins > Clouds)");
        };
    SpotNestComputer computer = computerOf(broken);
    SpotNestRetentionStrategy strategy = new SpotNestRetentionStrategy(10);

    assertTrue(strategy.isAcceptingTasks(computer), "nothing migrates while the fleet is down");
    assertEquals(1, strategy.check(computer), "kept (its VM cannot be ended), checked again");
  }

  /** The computer of agent nest-1 (label nest), asking {@code backend} about its agent. */
  private static SpotNestComputer computerOf(SpotNestBackend backend) throws Exception {
    return new SpotNestComputer(
        new SpotNestAgent("nest-1", "nest", new SpotNestTemplate("linux"), "http://127.0.0.1:8080/")
            .withBackend(backend));
  }
}
