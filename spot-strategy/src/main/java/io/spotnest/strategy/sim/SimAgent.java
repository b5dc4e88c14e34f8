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

  /** The strategy's latest standing-copy decision for it, or null when none was made. */
  io.spotnest.strategy.fleet.CopyDecision.Basis copyBasis;

  /** The host whose notice found it there, and its protection then (see {@link RestartCause}). */
  SimHost noticedOn;

  RestartCause atNotice;

  /** The move it was in at that notice, or null. */
  RestartCause.Move moveAtNotice;

  SimAgent(Build build, SimHost host, long now) {
    this.build = build;
    this.host = host;
    this.onHostSince = now;
  }

  double remainingSeconds() {
    return build.durationMin() * 60 - progressSeconds;
  }
}
