package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Label;
import hudson.slaves.Cloud.CloudState;
import hudson.slaves.NodeProvisioner.PlannedNode;
import hudson.slaves.NodeProvisioner.StrategyDecision;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The no-delay decision without Jenkins: real SpotNest clouds (fake orchestrator and agent count)
 * asked for the excess workload the snapshot shows, within their caps, only for their labels, and
 * only when the fleet can start.
 */
class NoDelayProvisioningTest {
  private static final Label LINUX = new TestLabel("linux");
  private final Map<String, Integer> existing = new HashMap<>();
  private final AgentCensus census =
      new AgentCensus() {
        @Override
        public int agents(String cloudName) {
          return existing.getOrDefault(cloudName, 0);
        }

        @Override
        public int agents(String cloudName, String templateKey) {
          return existing.getOrDefault(cloudName, 0);
        }
      };
  private String fleetProblem;
  private final NoDelayProvisioning provisioning =
      new NoDelayProvisioning(() -> Optional.ofNullable(fleetProblem));

  private SpotNestCloud cloud(String name, String labels, int maxAgents) {
    SpotNestCloud cloud =
        new SpotNestCloud(name, new FakeController(), census, () -> "http://127.0.0.1:8080/");
    SpotNestTemplate template = new SpotNestTemplate(labels);
    template.setMaxAgents(10);
    cloud.setTemplates(List.of(template));
    cloud.setMaxAgents(maxAgents);
    return cloud;
  }

  /** Asks for {@code builds} queued builds of {@code label}, and nothing else in the snapshot. */
  private NoDelayProvisioning.Outcome queued(Label label, int builds, SpotNestCloud... clouds) {
    return provisioning.provision(label, new LabelLoad(builds, 0, 0, 0, 0), List.of(clouds));
  }

  private static void assertLeftToTheOtherStrategies(NoDelayProvisioning.Outcome outcome) {
    assertTrue(outcome.planned().isEmpty(), "planned: " + outcome.planned());
    assertEquals(StrategyDecision.CONSULT_REMAINING_STRATEGIES, outcome.decision());
  }

  private static int executors(List<PlannedNode> planned) {
    return planned.stream().mapToInt(node -> node.numExecutors).sum();
  }

  @Test
  void the_excess_is_the_queue_minus_available_offline_and_planned_executors() {
    LabelLoad load = new LabelLoad(7, 1, 1, 2, 1);
    assertEquals(2, load.excessWorkload());
    assertEquals(0, new LabelLoad(2, 3, 0, 0, 0).excessWorkload());
  }

  @Test
  void the_excess_is_provisioned_at_once_and_then_provisioning_is_complete() {
    NoDelayProvisioning.Outcome outcome =
        provisioning.provision(
            LINUX, new LabelLoad(5, 1, 0, 1, 0), List.of(cloud("nest", "linux", 10)));
    assertEquals(3, executors(outcome.planned()));
    assertEquals(StrategyDecision.PROVISIONING_COMPLETED, outcome.decision());
  }

  @Test
  void never_beyond_the_clouds_max_agents_and_then_the_other_strategies_decide() {
    existing.put("nest", 1);
    NoDelayProvisioning.Outcome outcome = queued(LINUX, 5, cloud("nest", "linux", 3));
    assertEquals(2, executors(outcome.planned()));
    assertEquals(StrategyDecision.CONSULT_REMAINING_STRATEGIES, outcome.decision());
  }

  @Test
  void jenkins_default_strategy_asking_the_capped_cloud_again_in_the_same_round_gets_nothing() {
    existing.put("nest", 1);
    SpotNestCloud cloud = cloud("nest", "linux", 3);
    NoDelayProvisioning.Outcome outcome = queued(LINUX, 5, cloud);
    assertEquals(2, executors(outcome.planned()));
    // the agents just planned are not Jenkins nodes yet: the round's planned capacity counts them
    assertTrue(
        cloud.provision(new CloudState(LINUX, executors(outcome.planned())), 3).isEmpty(),
        "the cloud's cap of 3 agents was exceeded");
  }

  @Test
  void a_second_cloud_takes_what_the_first_cannot() {
    existing.put("full", 2);
    NoDelayProvisioning.Outcome outcome =
        queued(LINUX, 3, cloud("full", "linux", 2), cloud("spare", "linux", 5));
    assertEquals(3, executors(outcome.planned()));
    assertTrue(outcome.planned().stream().allMatch(node -> node.displayName.startsWith("spare-")));
    assertEquals(StrategyDecision.PROVISIONING_COMPLETED, outcome.decision());
  }

  @Test
  void agents_planned_by_one_cloud_do_not_use_up_the_next_clouds_room() {
    existing.put("small", 1);
    NoDelayProvisioning.Outcome outcome =
        queued(LINUX, 4, cloud("small", "linux", 2), cloud("other", "linux", 3));
    assertEquals(4, executors(outcome.planned()));
    assertEquals(
        3,
        outcome.planned().stream().filter(node -> node.displayName.startsWith("other-")).count());
    assertEquals(StrategyDecision.PROVISIONING_COMPLETED, outcome.decision());
  }

  @Test
  void a_label_no_spotnest_template_carries_is_left_to_the_other_strategies() {
    assertLeftToTheOtherStrategies(queued(new TestLabel("windows"), 4, cloud("nest", "linux", 10)));
    // not even when its builds look covered: that is for the strategies of its own clouds to say
    assertEquals(
        StrategyDecision.CONSULT_REMAINING_STRATEGIES,
        provisioning
            .provision(
                new TestLabel("windows"),
                new LabelLoad(2, 0, 0, 2, 0),
                List.of(cloud("nest", "linux", 10)))
            .decision());
  }

  @Test
  void builds_without_a_label_are_left_to_the_other_strategies() {
    assertLeftToTheOtherStrategies(queued(null, 4, cloud("nest", "linux", 10)));
  }

  @Test
  void a_cloud_with_no_delay_provisioning_off_is_left_to_jenkins_default_provisioner() {
    SpotNestCloud cloud = cloud("nest", "linux", 10);
    cloud.setNoDelayProvisioning(false);
    assertLeftToTheOtherStrategies(queued(LINUX, 4, cloud));
  }

  @Test
  void nothing_is_provisioned_while_the_fleet_cannot_start() {
    fleetProblem = "staticHosts: spot-a: no key file";
    assertLeftToTheOtherStrategies(queued(LINUX, 4, cloud("nest", "linux", 10)));
  }

  @Test
  void a_covered_spotnest_label_needs_nothing_more() {
    fleetProblem = "not asked: nothing to start";
    NoDelayProvisioning.Outcome outcome =
        provisioning.provision(
            LINUX, new LabelLoad(2, 0, 1, 1, 0), List.of(cloud("nest", "linux", 10)));
    assertTrue(outcome.planned().isEmpty());
    assertEquals(StrategyDecision.PROVISIONING_COMPLETED, outcome.decision());
  }

  @Test
  void no_delay_provisioning_is_on_by_default() {
    assertTrue(cloud("nest", "linux", 10).isNoDelayProvisioning());
  }
}
