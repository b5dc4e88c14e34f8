package io.spotnest.jenkins;

import static io.spotnest.orchestrator.testing.States.OD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.jenkins.orchestrator.AgentSecrets;
import io.spotnest.jenkins.orchestrator.OrchestratorController;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.facade.FleetRuntime;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.testing.FakeWorld;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.orchestrator.tick.FleetConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * What the risk loop says when a tick cannot run: Jenkins' periodic work prints every exception
 * that escapes with its stack trace, every 10 s, so each distinct failure is one line, once, and
 * the next period tries again.
 */
class SpotNestTickTest {
  private final DiskFullJournal journal = new DiskFullJournal();
  private final Rig rig = new Rig(journal, new FakeWorld());
  private final List<AgentActivity.Seen> seen = new ArrayList<>();

  private SpotNestTick tickOver(SpotNestBackend backend) {
    return new SpotNestTick(
        () -> backend, () -> List.copyOf(seen), (agent, line) -> {}, agent -> List.of());
  }

  /** The orchestrator over the rig's journal and world, bound to the plugin's port. */
  private OrchestratorController controller() {
    FleetRuntime fleet =
        FleetRuntime.start(
            rig.clock,
            journal,
            new Orchestrator.Ports(rig.world, rig.world, rig.world, rig.world, rig.strategy),
            new FleetConfig(
                Rig.OFFERS, rig.limits, 0, 0.05, Duration.ofMinutes(30), Duration.ofMinutes(5)),
            rig.ids(),
            Duration.ofMinutes(30));
    return new OrchestratorController(
        fleet,
        new AgentSecrets(agent -> Optional.empty()),
        List.of("spotnest-agent"),
        0.6,
        Duration.ofHours(1));
  }

  private List<AgentPhase> phasesOf(String agent) {
    return journal.replay().stream()
        .filter(r -> r instanceof AgentPhaseChanged c && c.agentId().equals(agent))
        .map(r -> ((AgentPhaseChanged) r).phase())
        .toList();
  }

  @Test
  void a_journal_that_cannot_be_written_is_one_line_per_failure_and_the_tick_goes_on() {
    String od = rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(od, 2048, true);
    OrchestratorController controller = controller();
    SpotNestTick tick = tickOver(() -> controller);
    seen.add(new AgentActivity.Seen(agent, true, false)); // its build finished: journaled
    String failed =
        "SpotNest risk loop: a tick failed; it is tried again every 10 s: SpotNest: the"
            + " orchestrator cannot write its journal: cannot append to journal "
            + DiskFullJournal.FILE
            + ": ";

    try (LogCapture log = LogCapture.of(SpotNestTick.class)) {
      journal.fail("No space left on device");
      tick.doRun();
      tick.doRun();
      tick.doRun();
      journal.fail("Read-only file system");
      tick.doRun();
      tick.doRun();

      assertEquals(
          List.of(failed + "No space left on device", failed + "Read-only file system"),
          log.messages(Level.WARNING));
      assertTrue(log.records().stream().allMatch(r -> r.getThrown() == null), "no stack trace");
      assertEquals(
          List.of(AgentPhase.BOOTING, AgentPhase.ONLINE, AgentPhase.BUSY), phasesOf(agent));

      journal.fail(null);
      tick.doRun();
      tick.doRun();

      assertEquals(AgentPhase.ONLINE, phasesOf(agent).get(3), "the next period goes on");
      assertEquals(List.of("SpotNest risk loop running again"), log.messages(Level.INFO));
    }
  }

  /** An IllegalStateException may have no message (e.g. one thrown bare by a library). */
  @Test
  void a_fleet_failing_without_a_message_is_told_by_its_type() {
    SpotNestTick tick =
        tickOver(
            () -> {
              throw new IllegalStateException();
            });
    try (LogCapture log = LogCapture.of(SpotNestTick.class)) {
      tick.doRun();
      tick.doRun();

      assertEquals(
          List.of("SpotNest risk loop not running: java.lang.IllegalStateException"),
          log.messages(Level.WARNING));
    }
  }

  /** A fault of ours in a tick is told with its stack trace, once, not at every period. */
  @Test
  void an_unexpected_failure_is_told_once_with_its_stack_trace() {
    FakeController orchestrator = new FakeController();
    orchestrator.tickFailure = new ArithmeticException("/ by zero");
    SpotNestTick tick = tickOver(orchestrator);
    try (LogCapture log = LogCapture.of(SpotNestTick.class)) {
      tick.doRun();
      tick.doRun();

      assertEquals(1, log.records().size(), log.messages(Level.WARNING).toString());
      assertEquals(
          "SpotNest risk loop: a tick failed; it is tried again every 10 s:"
              + " java.lang.ArithmeticException: / by zero",
          log.records().get(0).getMessage());
      assertEquals("/ by zero", log.records().get(0).getThrown().getMessage());
    }
  }
}
