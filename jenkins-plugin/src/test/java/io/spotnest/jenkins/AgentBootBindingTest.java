package io.spotnest.jenkins;

import static io.spotnest.orchestrator.testing.States.OD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.jenkins.orchestrator.AgentSecrets;
import io.spotnest.jenkins.orchestrator.FleetWiring;
import io.spotnest.jenkins.orchestrator.OrchestratorBackend;
import io.spotnest.jenkins.orchestrator.OrchestratorController;
import io.spotnest.jenkins.port.AgentLaunchRequest;
import io.spotnest.jenkins.port.AgentSecret;
import io.spotnest.jenkins.port.AgentSize;
import io.spotnest.jenkins.port.MarketPolicy;
import io.spotnest.jenkins.port.StandingCopyWish;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPlaced;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.testing.FakeWorld;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.testbed.CapturedLogs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Jenkins agent's boot details reach its VM's boot call through the orchestrator inside the
 * controller; its inbound secret reaches only that call, never the journal or a log.
 */
class AgentBootBindingTest {
  private static final String SECRET =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @TempDir Path home;
  private Path file;
  private Rig rig;
  private FileJournal seed;
  @RegisterExtension final CapturedLogs logs = CapturedLogs.everything();

  @BeforeEach
  void seed() {
    file = home.resolve("spotnest/journal.jsonl");
    file.getParent().toFile().mkdirs();
    seed = FileJournal.open(file);
    rig = new Rig(seed, new FakeWorld());
  }

  private OrchestratorBackend jenkins(AgentSecrets secrets) {
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
    return new OrchestratorBackend(() -> home, () -> wiring, rig.clock, rig.ids(), secrets);
  }

  private static AgentLaunchRequest request(String name) {
    return new AgentLaunchRequest(
        name,
        "nest",
        Set.of("linux"),
        new AgentSize(2, 1024, 20),
        "spotnest-agent",
        MarketPolicy.ON_DEMAND_ONLY,
        StandingCopyWish.NEVER,
        "/home/jenkins/agent",
        "apt-get install -y make",
        "http://127.0.0.1:8080/",
        new AgentSecret(SECRET));
  }

  @Test
  void theLaunchsDetailsAndSecretReachTheBootCallButNeitherJournalNorLogHoldsTheSecret()
      throws Exception {
    rig.host(OD, Market.ON_DEMAND);
    OrchestratorBackend backend = jenkins(new AgentSecrets(name -> Optional.empty()));

    backend.controller().startAgent(request("nest-1"));
    backend.controller().tick();
    backend.controller().terminateAgent("nest-1");

    FakeWorld.Boot boot = rig.world.boots().get(0);
    assertEquals(
        new AgentBootSpec(
            "nest-1",
            "spotnest-agent",
            2,
            1024,
            20,
            "http://127.0.0.1:8080/",
            "apt-get install -y make",
            "nest-1"),
        boot.spec());
    assertEquals(SECRET, boot.secret().value());
    String journal = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(journal.contains("\"image\":\"spotnest-agent\""), journal);
    assertFalse(journal.contains(SECRET), "the journal never holds the secret");
    assertFalse(logs.lines().isEmpty());
    assertFalse(String.join("\n", logs.lines()).contains(SECRET), "no log holds the secret");
  }

  @Test
  void afterARestartJenkinsRecomputesTheSecretOfAnAgentCutOffWhileBooting() throws Exception {
    String od = rig.host(OD, Market.ON_DEMAND);
    AgentBootSpec spec = OrchestratorController.bootSpec(request("nest-2"));
    seed.append(
        new AgentRequested(
            "nest-2", 1024, Duration.ofHours(1), null, "nest/linux", "ON_DEMAND_ONLY", spec));
    seed.append(new AgentPlaced("nest-2", od));
    seed.append(new AgentPhaseChanged("nest-2", AgentPhase.BOOTING, rig.clock.instant(), "boot"));
    List<String> asked = new ArrayList<>();
    OrchestratorBackend backend =
        jenkins(
            new AgentSecrets(
                name -> {
                  asked.add(name);
                  return Optional.of(SECRET);
                }));

    backend.controller();

    assertEquals(List.of("nest-2"), asked, "Jenkins is asked by the agent's name");
    assertEquals(SECRET, rig.world.boots().get(0).secret().value());
    assertFalse(Files.readString(file, StandardCharsets.UTF_8).contains(SECRET));
  }
}
