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
import io.spotnest.jenkins.port.StandingCopyWish;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.testing.FakeWorld;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.strategy.fleet.CopyMode;
import io.spotnest.strategy.fleet.CopyRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A template's standing-copy choice reaches the orchestrator's request for each agent it
 * provisions, journaled (always: asked; let the fleet decide: left to it; never: refused); only the
 * agents the fleet's copy mode may copy are given one, even where the plan would mark every agent.
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
    run(
        CopyMode.HAZARD,
        Map.of("long", StandingCopyWish.ALWAYS, "short", StandingCopyWish.NEVER),
        Map.of("long", CopyRequest.ASKED, "short", CopyRequest.REFUSED),
        List.of("long"));
  }

  @Test
  void inAtRiskModeTheFleetCopiesTheTemplateThatLeftItToTheFleetButNeverTheOneThatRefused()
      throws Exception {
    run(
        CopyMode.AT_RISK,
        Map.of("left", StandingCopyWish.FLEET, "refused", StandingCopyWish.NEVER),
        Map.of("left", CopyRequest.UNSET, "refused", CopyRequest.REFUSED),
        List.of("left"));
  }

  @Test
  void outsideAtRiskModeTheTemplateThatLeftItToTheFleetGetsNoCopy() throws Exception {
    run(
        CopyMode.HAZARD,
        Map.of("left", StandingCopyWish.FLEET, "asked", StandingCopyWish.ALWAYS),
        Map.of("left", CopyRequest.UNSET, "asked", CopyRequest.ASKED),
        List.of("asked"));
  }

  /**
   * Two templates by label, each choosing {@code wishes}; one agent of each provisioned on a spot
   * host and marked by the plan: each request is journaled with {@code journaled}, and only the
   * agents of {@code copied} get a copy (on the on-demand host), in copy mode {@code mode}.
   */
  private void run(
      CopyMode mode,
      Map<String, StandingCopyWish> wishes,
      Map<String, CopyRequest> journaled,
      List<String> copied)
      throws Exception {
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
                    Rig.OFFERS, rig.limits, 0, 0.05, Duration.ofMinutes(30), Duration.ofMinutes(5))
                .withCopyMode(mode);
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
    List<SpotNestTemplate> templates = new ArrayList<>();
    wishes.forEach((label, wish) -> templates.add(template(label, wish)));
    SpotNestCloud cloud = new SpotNestCloud("nest", backend, census, () -> "http://127.0.0.1/");
    cloud.setTemplates(templates);
    Map<String, String> agentOf = new HashMap<>();
    for (String label : new TreeSet<>(wishes.keySet())) {
      agentOf.put(label, provisionAndStart(cloud, controller, label));
    }
    controller.tick();
    for (String agent : agentOf.values()) {
      controller.agentActivity(agent, true, true);
      assertEquals(List.of(spot), rig.world.copies().get(agent), "runs on the spot host");
    }
    rig.strategy.standingCopies.addAll(agentOf.values()); // a plan marking every agent

    controller.tick();

    Map<String, CopyRequest> read = new HashMap<>();
    try (FileJournal journal = FileJournal.open(file)) {
      journal.replay().stream()
          .filter(r -> r instanceof AgentRequested)
          .map(r -> (AgentRequested) r)
          .forEach(r -> read.put(r.agentId(), r.wish()));
    }
    Map<String, CopyRequest> expected = new HashMap<>();
    journaled.forEach((label, request) -> expected.put(agentOf.get(label), request));
    assertEquals(expected, read, "each request's journaled wish");
    Map<String, String> standbys = new HashMap<>();
    copied.forEach(label -> standbys.put(agentOf.get(label), od));
    assertEquals(standbys, rig.world.standbys(), "copies for " + copied + " only");
    backend.close();
  }

  private static SpotNestTemplate template(String label, StandingCopyWish wish) {
    SpotNestTemplate t = new SpotNestTemplate(label);
    t.setMarketPolicy(MarketPolicy.SPOT_ONLY);
    t.setMemoryMb(1024);
    t.setStandingCopyWish(wish);
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
