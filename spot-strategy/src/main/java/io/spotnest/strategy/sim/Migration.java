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

  /** The agent's protection when the move started (it drops any standing copy). */
  RestartCause protectionAtStart = RestartCause.NO_COPIES;

  /** The kind of move: forced ones are notice moves, others with a deadline early evacuations. */
  RestartCause.Move kind() {
    if (forced) {
      return RestartCause.Move.BURST_DRAIN;
    }
    return deadline >= 0 ? RestartCause.Move.EARLY_EVACUATION : RestartCause.Move.OTHER;
  }

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
