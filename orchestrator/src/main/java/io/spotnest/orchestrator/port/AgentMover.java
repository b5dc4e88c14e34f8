package io.spotnest.orchestrator.port;

import java.time.Duration;
import java.util.Optional;

/** The orchestrator's seam to the live-migration engine and the hypervisors' inventory. */
public interface AgentMover {

  /**
   * Starts a move and returns at once; it must end (or be aborted) by the order's absolute
   * deadline.
   */
  void start(MoveOrder order);

  /** Where the move stands. */
  MoveStatus status(String moveId);

  /**
   * After a restart: attaches to the move if it still runs, otherwise resolves it from what the
   * hypervisors show, leaving exactly one copy of the VM (the engine's recovery).
   */
  MoveStatus attach(MoveOrder order);

  /**
   * How long the engine expects a move of a {@code ramMiB} VM {@code from → to} to take while
   * {@code sharing} moves (itself included) share the busier of the two hosts' links. Zero when the
   * mover cannot tell; then a forced move is started whenever a slot is free before its deadline.
   * {@code to} is null while no destination has room (then any destination's link).
   */
  default Duration estimate(String from, String to, long ramMiB, int sharing) {
    return Duration.ZERO;
  }

  /** The host the agent's VM really runs on, if any. */
  Optional<String> locate(String agentId);
}
