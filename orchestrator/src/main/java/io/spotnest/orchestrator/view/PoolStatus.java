package io.spotnest.orchestrator.view;

import io.spotnest.orchestrator.model.ClosureKind;
import io.spotnest.orchestrator.model.PoolKey;
import java.time.Instant;
import java.util.Objects;

/**
 * One spot pool as the orchestrator treats it now: open to its launches, closed (a launch there
 * failed, or another journaled closure), or draining (a burst: its hosts are being emptied).
 *
 * @param kind what closed the pool, the closure in force's journaled kind (null when open)
 * @param reason the journaled reason of the closure in force (null when open)
 * @param since when that closure was journaled (null when open, or when an older controller
 *     journaled it without its time and this process replayed it)
 * @param until when the pool takes launches again (null when open)
 * @param drainBy while draining, when its agents are to have left (else null)
 * @param risk the pool's latest 15-minute reclamation probability, or null when not assessed yet
 */
public record PoolStatus(
    PoolKey pool,
    State state,
    ClosureKind kind,
    String reason,
    Instant since,
    Instant until,
    Instant drainBy,
    Double risk) {
  public PoolStatus {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(state, "state");
  }

  /** An open pool. */
  static PoolStatus open(PoolKey pool, Double risk) {
    return new PoolStatus(pool, State.OPEN, null, null, null, null, null, risk);
  }

  /** Whether the pool takes the orchestrator's launches. */
  public enum State {
    OPEN,
    /** No launch there before {@code until}. */
    CLOSED,
    /** Closed and its hosts are being emptied (a burst drain). */
    DRAINING
  }
}
