package io.spotnest.jenkins.port;

import java.time.Duration;

/** What happened to a running agent, told in the build logs of the builds on it. */
public sealed interface AgentEvent {

  String agentName();

  /** The agent VM was live-migrated; {@code paused} is how long the VM was stopped. */
  record Migrated(
      String agentName,
      String fromHost,
      String toHost,
      MigrationTrigger trigger,
      Duration took,
      Duration paused)
      implements AgentEvent {}

  /**
   * The agent's VM was lost, and the builds on it: its host vanished before it could be moved, the
   * VM failed to boot, or a move or standing copy left it running nowhere.
   *
   * @param host the host the agent was on, or null when the orchestrator's record names none (each
   *     of its producers names one; only a journal record without its host reads so)
   * @param reason what happened, as the orchestrator journaled it (e.g. "host h-7 vanished (missing
   *     from the cloud listing)", "boot on h-7 failed: ...")
   */
  record Lost(String agentName, String host, String reason) implements AgentEvent {}
}
