package io.spotnest.orchestrator.port;

import java.util.Optional;

/** Where a move stands, as the mover reports it. */
public sealed interface MoveStatus permits MoveStatus.InFlight, MoveStatus.Ended {

  /** Still copying. */
  record InFlight() implements MoveStatus {}

  /** Over: the VM runs on {@code runningOn} (destination on success, else the source), or nowhere if empty. */
  record Ended(Optional<String> runningOn, String detail) implements MoveStatus {}
}
