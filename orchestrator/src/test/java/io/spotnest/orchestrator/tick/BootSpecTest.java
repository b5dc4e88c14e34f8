package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.facade.AgentOrder;
import io.spotnest.orchestrator.facade.FleetRuntime;
import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPlaced;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.MarketPolicy;
import io.spotnest.orchestrator.port.BootSecret;
import io.spotnest.orchestrator.testing.FakeWorld;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.testbed.CapturedLogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's boot spec travels from the order through the journal to the VM boot; its secret
 * reaches only the boot call, fetched from the secret source at that moment.
 */
class BootSpecTest {
  private static final String SECRET =
      "f00dfeedcafe0123456789abcdef0123456789abcdef0123456789abcdef0123";

  @TempDir Path dir;
  @RegisterExtension final CapturedLogs logs = CapturedLogs.everything();

  private static AgentBootSpec spec(String name) {
    return new AgentBootSpec(
        name, "spotnest-agent", 2, 2048, 20, "http://127.0.0.1:8080/", "echo ready", name);
  }

  private Rig rig(Path journal) {
    return rig(journal, new FakeWorld());
  }

  private Rig rig(Path journal, FakeWorld world) {
    Rig rig = new Rig(FileJournal.open(journal), world);
    rig.secrets =
        ref -> ref.equals("nest-1") ? Optional.of(new BootSecret(SECRET)) : Optional.empty();
    return rig;
  }

  @Test
  void theBootCallGetsTheSpecAndSecretWhileJournalAndLogsHoldOnlyTheReference() throws IOException {
    Path file = dir.resolve("journal.jsonl");
    Rig rig = rig(file);
    rig.host(OD, Market.ON_DEMAND);
    FleetRuntime f =
        FleetRuntime.start(
            rig.clock,
            rig.journal,
            new io.spotnest.orchestrator.Orchestrator.Ports(
                rig.world, rig.world, rig.world, rig.world, rig.strategy, rig.secrets),
            new FleetConfig(
                Rig.OFFERS, rig.limits, 0, 0.05, Duration.ofMinutes(30), Duration.ofMinutes(5)),
            rig.ids(),
            Duration.ofMinutes(30));

    f.requestAgent(
        new AgentOrder(
            "nest-1",
            "linux",
            2048,
            MarketPolicy.ON_DEMAND_ONLY,
            Duration.ofMinutes(10),
            spec("nest-1")));
    f.tick();
    f.close();

    List<FakeWorld.Boot> boots = rig.world.boots();
    assertEquals(1, boots.size());
    assertEquals(spec("nest-1"), boots.get(0).spec());
    assertEquals(SECRET, boots.get(0).secret().value(), "the boot call receives the secret");
    String journal = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(journal.contains("\"secretRef\":\"nest-1\""), journal);
    assertTrue(journal.contains("\"controllerUrl\":\"http://127.0.0.1:8080/\""), journal);
    assertFalse(journal.contains(SECRET), "the journal never holds the secret");
    assertFalse(logs.lines().isEmpty(), "the run logged something to check");
    assertFalse(String.join("\n", logs.lines()).contains(SECRET), "no log holds the secret");
    assertFalse(boots.get(0).secret().toString().contains(SECRET));
  }

  @Test
  void aRestartBootsAnAgentCutOffWhileBootingWithItsJournaledSpecAndAFreshSecret() {
    Path file = dir.resolve("journal.jsonl");
    Rig rig = rig(file);
    String od = rig.host(OD, Market.ON_DEMAND);
    rig.journal.append(
        new AgentRequested(
            "nest-1", 2048, Duration.ofMinutes(10), null, "linux", "SPOT_ONLY", spec("nest-1")));
    rig.journal.append(new AgentPlaced("nest-1", od));
    rig.journal.append(
        new AgentPhaseChanged("nest-1", AgentPhase.BOOTING, rig.clock.instant(), "booting"));
    rig.journal.close();

    Rig restarted = rig(file, rig.world.copy());
    restarted.start();

    assertEquals(MarketPolicy.SPOT_ONLY, restarted.o().state().findAgent("nest-1").get().policy());
    FakeWorld.Boot boot = restarted.world.boots().get(0);
    assertEquals(spec("nest-1"), boot.spec());
    assertEquals(SECRET, boot.secret().value());
  }

  @Test
  void anAgentWhoseSecretIsUnknownIsNotBootedAndTheReasonNamesNoSecret() {
    Path file = dir.resolve("journal.jsonl");
    Rig rig = rig(file);
    rig.host(OD, Market.ON_DEMAND);
    rig.start();
    rig.o()
        .request(
            new AgentRequested(
                "other", 2048, Duration.ofMinutes(10), null, "linux", null, spec("other")));

    rig.o().tick();

    assertTrue(rig.world.boots().isEmpty());
    assertEquals(AgentPhase.GONE, rig.o().state().findAgent("other").orElseThrow().phase());
    assertTrue(
        rig.o().lostBuilds().get(0).reason().contains("no secret known for agent other"),
        rig.o().lostBuilds().get(0).reason());
  }
}
