package io.spotnest.orchestrator.port;

import java.time.Duration;
import java.util.Optional;

/** Where a move stands, as the mover reports it. */
public sealed interface MoveStatus permits MoveStatus.InFlight, MoveStatus.Ended {

  /** Still copying. */
  record InFlight() implements MoveStatus {}

  /**
   * Over: the VM runs on {@code runningOn} (destination on success, else the source), or nowhere if
   * empty; {@code took} (the whole run) and {@code paused} (the guest's switch-over downtime) are
   * null when unknown.
   */
  record Ended(Optional<String> runningOn, String detail, Duration took, Duration paused)
      implements MoveStatus {
    public Ended(Optional<String> runningOn, String detail) {
      this(runningOn, detail, null, null);
    }
  }
}
