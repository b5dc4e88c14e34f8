package io.spotnest.strategy.sim;

/**
 * A build's agent VM inside one simulation run. It shows its build as the strategies see it (no
 * true length: see {@link TrueLengths}).
 */
final class SimAgent {
  final BuildRequest build;
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

  SimAgent(BuildRequest build, SimHost host, long now) {
    this.build = build;
    this.host = host;
    this.onHostSince = now;
  }
}
