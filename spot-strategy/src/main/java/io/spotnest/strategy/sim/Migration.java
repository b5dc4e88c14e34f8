package io.spotnest.strategy.sim;

/** One live migration in flight or queued (destination RAM is reserved from the start). */
final class Migration {
  final SimAgent agent;
  final SimHost from;
  final SimHost to;
  final long deadline;
  final boolean forced;

  /**
   * Source and destination are in different zones of one region: the traffic is billed both ways.
   */
  final boolean crossZone;

  double remainingMiB;

  Migration(SimAgent agent, SimHost from, SimHost to, long deadline, boolean forced) {
    this.agent = agent;
    this.from = from;
    this.to = to;
    this.deadline = deadline;
    this.forced = forced;
    this.crossZone = !from.zone.equals(to.zone);
    this.remainingMiB = agent.build.ramGiB() * 1024;
  }
}
