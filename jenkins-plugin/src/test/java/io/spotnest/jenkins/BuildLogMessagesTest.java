package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.jenkins.port.AgentEvent;
import io.spotnest.jenkins.port.MigrationTrigger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BuildLogMessagesTest {

  @Test
  void a_migration_for_risk_says_where_why_how_long_and_the_pause() {
    AgentEvent.Migrated event =
        new AgentEvent.Migrated(
            "nest-1",
            "spot-a",
            "spot-b",
            new MigrationTrigger.Risk(0.824, 0.6),
            Duration.ofMillis(41_200),
            Duration.ofMillis(183));
    assertEquals(
        "[SpotNest] Agent nest-1 was live-migrated from host spot-a to host spot-b because its reclaim"
            + " risk 0.82 passed the threshold 0.60. The move took 41.2 s and paused this build for 183 ms;"
            + " the build kept running.",
        BuildLogMessages.migrated(event));
  }

  @Test
  void a_notice_whose_name_starts_with_a_vowel_takes_an() {
    // the orchestrator names a notice's move "interruption notice"
    AgentEvent.Migrated event =
        new AgentEvent.Migrated(
            "nest-1",
            "spot-a",
            "ondemand-1",
            new MigrationTrigger.Notice("interruption notice"),
            Duration.ofSeconds(4),
            Duration.ofMillis(182));
    assertTrue(
        BuildLogMessages.migrated(event)
            .contains(" because of an interruption notice for the old host."),
        BuildLogMessages.migrated(event));
  }

  @Test
  void a_migration_for_a_notice_names_the_notice() {
    AgentEvent.Migrated event =
        new AgentEvent.Migrated(
            "nest-1",
            "spot-a",
            "ondemand-1",
            new MigrationTrigger.Notice("spot interruption notice"),
            Duration.ofSeconds(12),
            Duration.ofMillis(950));
    assertEquals(
        "[SpotNest] Agent nest-1 was live-migrated from host spot-a to host ondemand-1 because of a spot"
            + " interruption notice for the old host. The move took 12 s and paused this build for 950 ms;"
            + " the build kept running.",
        BuildLogMessages.migrated(event));
  }

  @Test
  void a_migration_asked_by_an_administrator_says_so() {
    AgentEvent.Migrated event =
        new AgentEvent.Migrated(
            "nest-1",
            "spot-a",
            "spot-b",
            new MigrationTrigger.Operator("drain host spot-a"),
            Duration.ofMillis(9_960),
            Duration.ofMillis(0));
    assertEquals(
        "[SpotNest] Agent nest-1 was live-migrated from host spot-a to host spot-b because an"
            + " administrator asked (drain host spot-a). The move took 10 s and paused this build for 0 ms;"
            + " the build kept running.",
        BuildLogMessages.migrated(event));
  }

  /** The orchestrator's reason for a host that vanished under a busy agent. */
  private static final AgentEvent.Lost VANISHED =
      new AgentEvent.Lost(
          "nest-1", "spot-a", "host spot-a vanished (missing from the cloud listing)");

  /** The orchestrator's reason for an agent VM that failed to boot. */
  private static final AgentEvent.Lost BOOT_FAILED =
      new AgentEvent.Lost("nest-1", "h-1", "boot on h-1 failed: boot of nest-1 on h-1 timed out");

  @Test
  void a_lost_build_names_its_agent_the_host_and_what_happened_and_the_typed_cause() {
    assertEquals(
        "[SpotNest] This build was lost with agent nest-1 on host spot-a: host spot-a vanished"
            + " (missing from the cloud listing). It was rescheduled with the same parameters"
            + " (queue item 42); the new build's cause is SpotNestRescheduleCause.",
        BuildLogMessages.lost(VANISHED, Requeue.newItem(42), SpotNestRescheduleCause.class));
    assertEquals(
        "[SpotNest] This build was lost with agent nest-1 on host spot-a: host spot-a vanished"
            + " (missing from the cloud listing). It was rescheduled with the same parameters"
            + " (queue item 42, which was already waiting with the same parameters); the new"
            + " build's cause is SpotNestRescheduleCause.",
        BuildLogMessages.lost(VANISHED, Requeue.joined(42), SpotNestRescheduleCause.class));
    assertEquals(
        "[SpotNest] This build was lost with agent nest-1 on host spot-a: host spot-a vanished"
            + " (missing from the cloud listing). Jenkins refused to reschedule it (a queue"
            + " decision handler vetoed it); start it again by hand.",
        BuildLogMessages.lostNotRescheduled(
            VANISHED, Requeue.refused("a queue decision handler vetoed it")));
  }

  /** A loss is not always a vanished host: the agent's log says what the orchestrator saw. */
  @Test
  void an_agents_log_says_what_happened_to_it_a_failed_boot_as_a_failed_boot() {
    assertEquals(
        "[SpotNest] Agent nest-1 on host h-1 was lost: boot on h-1 failed: boot of nest-1 on h-1"
            + " timed out.",
        BuildLogMessages.agentLost(BOOT_FAILED));
    assertEquals(
        "[SpotNest] Agent nest-1 on host spot-a was lost: host spot-a vanished (missing from the"
            + " cloud listing).",
        BuildLogMessages.agentLost(VANISHED));
  }

  /**
   * A loss whose record names no host: no producer of the orchestrator writes one (each names the
   * host the agent was on), so only a journal record without its host reads so. Every line then
   * leaves the host out instead of naming a host "unknown" (or "null"); the reason says what
   * happened.
   */
  private static final AgentEvent.Lost NO_HOST =
      new AgentEvent.Lost(
          "nest-1", null, "agent VM not running on any host at restart (journal had it BUSY)");

  @Test
  void a_loss_whose_host_is_not_known_is_told_without_a_host() {
    assertEquals(
        "[SpotNest] This build was lost with agent nest-1: agent VM not running on any host at"
            + " restart (journal had it BUSY). It was rescheduled with the same parameters (queue"
            + " item 7); the new build's cause is SpotNestRescheduleCause.",
        BuildLogMessages.lost(NO_HOST, Requeue.newItem(7), SpotNestRescheduleCause.class));
    assertEquals(
        "[SpotNest] This build was lost with agent nest-1: agent VM not running on any host at"
            + " restart (journal had it BUSY). Jenkins refused to reschedule it (a queue decision"
            + " handler vetoed it); start it again by hand.",
        BuildLogMessages.lostNotRescheduled(
            NO_HOST, Requeue.refused("a queue decision handler vetoed it")));
    assertEquals(
        "[SpotNest] Agent nest-1 was lost: agent VM not running on any host at restart (journal"
            + " had it BUSY).",
        BuildLogMessages.agentLost(NO_HOST));
    assertEquals(
        "Rescheduled by SpotNest: agent nest-1 was lost: agent VM not running on any host at"
            + " restart (journal had it BUSY)",
        new SpotNestRescheduleCause("nest-1", null, NO_HOST.reason()).getShortDescription());
    assertEquals(
        "Aborted by SpotNest: agent nest-1 was lost; the build was rescheduled",
        new SpotNestLossInterruption("nest-1", null, true).getShortDescription());
  }

  @Test
  void the_reschedule_cause_and_the_abort_describe_themselves() {
    assertEquals(
        "Rescheduled by SpotNest: agent nest-1 on host h-1 was lost: boot on h-1 failed: boot of"
            + " nest-1 on h-1 timed out",
        new SpotNestRescheduleCause("nest-1", "h-1", BOOT_FAILED.reason()).getShortDescription());
    assertEquals(
        "Aborted by SpotNest: agent nest-1 on host h-1 was lost; the build was rescheduled",
        new SpotNestLossInterruption("nest-1", "h-1", true).getShortDescription());
    assertEquals(
        "Aborted by SpotNest: agent nest-1 on host h-1 was lost; Jenkins refused to reschedule it",
        new SpotNestLossInterruption("nest-1", "h-1", false).getShortDescription());
  }
}
