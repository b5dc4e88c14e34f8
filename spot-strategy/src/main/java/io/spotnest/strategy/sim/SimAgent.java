package io.spotnest.strategy.sim;

/** A build's agent VM inside one simulation run. */
final class SimAgent {
  final Build build;
  SimHost host;
  double progressSeconds;
  Migration migration;
  long onHostSince;

  /** Its standing copy on a backup host, or null. */
  StandingCopy copy;

  SimAgent(Build build, SimHost host, long now) {
    this.build = build;
    this.host = host;
    this.onHostSince = now;
  }

  double remainingSeconds() {
    return build.durationMin() * 60 - progressSeconds;
  }
}
