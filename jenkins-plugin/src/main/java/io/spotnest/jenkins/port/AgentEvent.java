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

  /** The host vanished before the agent could be moved; its builds are lost. */
  record Lost(String agentName, String vanishedHost, String reason) implements AgentEvent {}
}
