package io.spotnest.strategy.sim;

/** A build's agent VM inside one simulation run. */
final class SimAgent {
  final Build build;
  SimHost host;
  double progressSeconds;
  Migration migration;
  long onHostSince;

  SimAgent(Build build, SimHost host, long now) {
    this.build = build;
    this.host = host;
    this.onHostSince = now;
  }

  double remainingSeconds() {
    return build.durationMin() * 60 - progressSeconds;
  }
}
