package io.spotnest.jenkins;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import hudson.slaves.Cloud.CloudState;
import hudson.slaves.NodeProvisioner.PlannedNode;
import io.spotnest.jenkins.orchestrator.AgentSecrets;
import io.spotnest.jenkins.orchestrator.FleetWiring;
import io.spotnest.jenkins.orchestrator.OrchestratorBackend;
import io.spotnest.jenkins.port.AgentSecret;
import io.spotnest.jenkins.port.MarketPolicy;
import io.spotnest.jenkins.port.SpotNestController;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.testing.FakeWorld;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.orchestrator.tick.FleetConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A template's standing-copy box reaches the orchestrator's request for each agent it provisions,
 * journaled; only those agents are given a copy, even where the plan would mark every agent.
 */
class StandingCopyWishTest {
  @TempDir Path home;

  private final AgentCensus census =
      new AgentCensus() {
        @Override
        public int agents(String cloudName) {
          return 0;
        }

        @Override
        public int agents(String cloudName, String templateKey) {
          return 0;
        }
      };

  @Test
  void onlyTheAgentOfTheTemplateThatTicksStandingCopyAsksForOneAndGetsIt() throws Exception {
    Path file = home.resolve("spotnest/journal.jsonl");
    file.getParent().toFile().mkdirs();
    FileJournal seed = FileJournal.open(file);
    Rig rig = new Rig(seed, new FakeWorld());
    String spot = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    seed.close();
    FleetWiring wiring =
        new FleetWiring() {
          @Override
          public Orchestrator.Ports ports() {
            return new Orchestrator.Ports(rig.world, rig.world, rig.world, rig.world, rig.strategy);
          }

          @Override
          public FleetConfig config() {
            return new FleetConfig(
                Rig.OFFERS, rig.limits, 0, 0.05, Duration.ofMinutes(30), Duration.ofMinutes(5));
          }
        };
    OrchestratorBackend backend =
        new OrchestratorBackend(
            () -> home,
            () -> wiring,
            rig.clock,
            rig.ids(),
            new AgentSecrets(name -> Optional.empty()));
    SpotNestController controller = backend.controller();
    SpotNestTemplate longBuilds = template("long", true);
    SpotNestTemplate shortBuilds = template("short", false);
    SpotNestCloud cloud = new SpotNestCloud("nest", backend, census, () -> "http://127.0.0.1/");
    cloud.setTemplates(List.of(longBuilds, shortBuilds));
    String copied = provisionAndStart(cloud, controller, "long");
    String plain = provisionAndStart(cloud, controller, "short");
    controller.tick();
    controller.agentActivity(copied, true, true);
    controller.agentActivity(plain, true, true);
    rig.strategy.standingCopies.addAll(List.of(copied, plain)); // a plan marking every agent

    controller.tick();

    Map<String, Boolean> wishes = new HashMap<>();
    try (FileJournal journal = FileJournal.open(file)) {
      journal.replay().stream()
          .filter(r -> r instanceof AgentRequested)
          .map(r -> (AgentRequested) r)
          .forEach(r -> wishes.put(r.agentId(), r.standingCopy()));
    }
    assertEquals(Map.of(copied, true, plain, false), wishes, "each request's journaled wish");
    assertEquals(List.of(spot), rig.world.copies().get(copied), "runs on the spot host");
    assertEquals(List.of(spot), rig.world.copies().get(plain), "runs on the spot host");
    assertEquals(Map.of(copied, od), rig.world.standbys(), "a copy for the ticked template only");
    backend.close();
  }

  private static SpotNestTemplate template(String label, boolean standingCopy) {
    SpotNestTemplate t = new SpotNestTemplate(label);
    t.setMarketPolicy(MarketPolicy.SPOT_ONLY);
    t.setMemoryMb(1024);
    t.setStandingCopy(standingCopy);
    return t;
  }

  private static String provisionAndStart(
      SpotNestCloud cloud, SpotNestController controller, String label) throws Exception {
    List<PlannedNode> planned =
        List.copyOf(cloud.provision(new CloudState(new TestLabel(label), 0), 1));
    SpotNestAgent agent = assertInstanceOf(SpotNestAgent.class, planned.get(0).future.get());
    controller.startAgent(agent.launchRequest(new AgentSecret("s3cr3t")));
    return agent.getNodeName();
  }
}
