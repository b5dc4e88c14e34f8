package io.spotnest.orchestrator.port;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
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
   * The orchestrator has journaled how the move ended (a {@link #status} or {@link #attach} that
   * said {@link MoveStatus.Ended}): the mover may drop what it keeps of it, and a later {@link
   * #status} of it is an unknown move's. Until then every {@link #status} of an ended move says the
   * same end, so an end read in a tick that failed to journal it is read again. A move still in
   * flight is not forgotten.
   */
  default void forget(String moveId) {}

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

  /**
   * {@link #locate} for many agents (a restart's reconciliation), reading each host once rather
   * than once per agent.
   */
  default Map<String, Optional<String>> locateAll(Collection<String> agentIds) {
    Map<String, Optional<String>> where = new LinkedHashMap<>();
    for (String id : agentIds) {
      where.put(id, locate(id));
    }
    return where;
  }

  /**
   * Starts keeping a standing copy (issue 12) and returns at once: a stream to the backup that does
   * not finish on its own. The VM keeps running on its source. Refused (throws) by a mover without
   * standing copies.
   */
  default void startCopy(CopyOrder order) {
    throw new UnsupportedOperationException("this mover keeps no standing copies");
  }

  /**
   * Where the copy stands; a copy this mover does not know (e.g. after a restart) has ended where
   * the VM is found.
   */
  default CopyStatus copyStatus(CopyOrder order) {
    return new CopyStatus.Ended(locate(order.agentId()), "unknown standing copy " + order.copyId());
  }

  /**
   * Ends the copy without moving: the VM stays on its source and nothing of it is left on the
   * backup. Also cleans a copy it has no handle of (after a restart). Returns once the VM is free
   * to be moved again.
   */
  default void stopCopy(CopyOrder order) {}

  /**
   * Completes the copy as the move {@code move} (to the copy's backup, by the move's absolute
   * deadline), followed by {@link #status} like any move: the VM then runs on the backup, or on its
   * source when the flush fails.
   */
  default void flushCopy(CopyOrder copy, MoveOrder move) {
    throw new UnsupportedOperationException("this mover keeps no standing copies");
  }

  /**
   * Removes any paused incoming copy of the agent's VM on a host other than {@code runningOn} (a
   * standing copy no journal record owns, found at a restart); {@code runningOn} is null for an
   * agent that is gone (then every copy not running goes).
   */
  default void clearStandbys(String agentId, String runningOn) {}

  /**
   * {@link #clearStandbys(String, String)} for many agents (a restart's reconciliation), reading
   * each host once: by agent, the host it runs on, or empty for an agent that is gone.
   */
  default void clearStandbys(Map<String, Optional<String>> runningOn) {
    runningOn.forEach((agent, on) -> clearStandbys(agent, on.orElse(null)));
  }
}
